/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_TEST_UTILS_H
#define QUIC_TEST_UTILS_H

// Small helpers shared by the module's test suites.

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace quictest
{

/**
 * \brief Bytes from a hex string; whitespace is ignored.
 * \param hex e.g. "c3 00 00 00 01"
 * \return the bytes
 */
inline std::vector<uint8_t>
FromHex(const std::string& hex)
{
    std::vector<uint8_t> out;
    int hi = -1;
    for (char c : hex)
    {
        int v;
        if (c >= '0' && c <= '9')
        {
            v = c - '0';
        }
        else if (c >= 'a' && c <= 'f')
        {
            v = c - 'a' + 10;
        }
        else if (c >= 'A' && c <= 'F')
        {
            v = c - 'A' + 10;
        }
        else
        {
            continue;
        }
        if (hi < 0)
        {
            hi = v;
        }
        else
        {
            out.push_back(static_cast<uint8_t>(hi << 4 | v));
            hi = -1;
        }
    }
    return out;
}

/**
 * \brief Lower-case hex string of a byte range.
 * \param p bytes
 * \param n count
 * \return the hex string
 */
inline std::string
ToHex(const uint8_t* p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    std::string s;
    s.reserve(2 * n);
    for (size_t i = 0; i < n; ++i)
    {
        s.push_back(digits[p[i] >> 4]);
        s.push_back(digits[p[i] & 0xf]);
    }
    return s;
}

/**
 * \brief Lower-case hex string of a byte vector.
 * \param v bytes
 * \return the hex string
 */
inline std::string
ToHex(const std::vector<uint8_t>& v)
{
    return ToHex(v.data(), v.size());
}

} // namespace quictest
} // namespace ns3

#endif /* QUIC_TEST_UTILS_H */
