/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-connection-id.h"

namespace ns3
{

std::string
QuicConnectionId::ToHex() const
{
    static const char digits[] = "0123456789abcdef";
    std::string s;
    s.reserve(2 * m_length);
    for (size_t i = 0; i < m_length; ++i)
    {
        s.push_back(digits[m_bytes[i] >> 4]);
        s.push_back(digits[m_bytes[i] & 0x0f]);
    }
    return s;
}

bool
QuicConnectionId::FromHex(const std::string& hex, QuicConnectionId& cid)
{
    if (hex.size() % 2 != 0 || hex.size() > 2 * MAX_LENGTH)
    {
        return false;
    }
    uint8_t bytes[MAX_LENGTH];
    for (size_t i = 0; i < hex.size(); ++i)
    {
        char c = hex[i];
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
            return false;
        }
        if (i % 2 == 0)
        {
            bytes[i / 2] = static_cast<uint8_t>(v << 4);
        }
        else
        {
            bytes[i / 2] |= static_cast<uint8_t>(v);
        }
    }
    return cid.Set(bytes, hex.size() / 2);
}

std::ostream&
operator<<(std::ostream& os, const QuicConnectionId& cid)
{
    return os << (cid.IsEmpty() ? std::string("(empty)") : cid.ToHex());
}

} // namespace ns3
