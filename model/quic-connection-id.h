/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_CONNECTION_ID_H
#define QUIC_CONNECTION_ID_H

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <ostream>
#include <string>

namespace ns3
{

/**
 * \ingroup quic-migration
 * \brief A QUIC connection ID: 0 to 20 bytes (RFC 9000 §5.1, §17.2).
 *
 * A small value type (21 bytes of storage, no heap) so that connection IDs
 * can be hashed, compared and copied on the per-packet path. Lengths above
 * QuicConnectionId::MAX_LENGTH are refused by the setters, which report it
 * instead of aborting: the bytes may come from the network.
 */
class QuicConnectionId
{
  public:
    /// Largest connection-ID length in QUIC version 1 (RFC 9000 §17.2).
    static constexpr size_t MAX_LENGTH = 20;

    /// An empty (zero-length) connection ID.
    QuicConnectionId()
        : m_length(0),
          m_bytes{}
    {
    }

    /**
     * \brief Build from bytes. A length above MAX_LENGTH gives an empty ID;
     * use Set() to detect that case.
     * \param data the bytes
     * \param length their count
     */
    QuicConnectionId(const uint8_t* data, size_t length)
        : QuicConnectionId()
    {
        Set(data, length);
    }

    /**
     * \brief Replace the value.
     * \param data the bytes
     * \param length their count (0..MAX_LENGTH)
     * \return false, leaving the ID unchanged, if length > MAX_LENGTH
     */
    bool Set(const uint8_t* data, size_t length)
    {
        if (length > MAX_LENGTH)
        {
            return false;
        }
        m_length = static_cast<uint8_t>(length);
        if (length > 0)
        {
            std::memcpy(m_bytes, data, length);
        }
        if (length < MAX_LENGTH)
        {
            std::memset(m_bytes + length, 0, MAX_LENGTH - length);
        }
        return true;
    }

    /// \return the length in bytes (0..20)
    size_t Length() const
    {
        return m_length;
    }

    /// \return true for a zero-length connection ID
    bool IsEmpty() const
    {
        return m_length == 0;
    }

    /// \return the bytes (Length() of them are meaningful)
    const uint8_t* Data() const
    {
        return m_bytes;
    }

    /// \return lower-case hex, e.g. "8394c8f03e515708" ("" when empty)
    std::string ToHex() const;

    /**
     * \brief Parse a hex string (as written by ToHex()).
     * \param hex the string: even length, at most 40 hex digits
     * \param cid receives the ID
     * \return false if the string is not valid hex of at most 20 bytes
     */
    static bool FromHex(const std::string& hex, QuicConnectionId& cid);

    /// \return a hash suitable for unordered containers
    size_t Hash() const
    {
        // FNV-1a over length and bytes: cheap, and CIDs are random anyway.
        uint64_t h = 1469598103934665603ULL ^ m_length;
        for (size_t i = 0; i < m_length; ++i)
        {
            h ^= m_bytes[i];
            h *= 1099511628211ULL;
        }
        return static_cast<size_t>(h);
    }

    /// \param o the other ID \return true if length and bytes are equal
    bool operator==(const QuicConnectionId& o) const
    {
        return m_length == o.m_length && std::memcmp(m_bytes, o.m_bytes, m_length) == 0;
    }

    /// \param o the other ID \return true if they differ
    bool operator!=(const QuicConnectionId& o) const
    {
        return !(*this == o);
    }

    /// \param o the other ID \return ordering by length, then bytes
    bool operator<(const QuicConnectionId& o) const
    {
        if (m_length != o.m_length)
        {
            return m_length < o.m_length;
        }
        return std::memcmp(m_bytes, o.m_bytes, m_length) < 0;
    }

  private:
    uint8_t m_length;            //!< length in bytes
    uint8_t m_bytes[MAX_LENGTH]; //!< value, zero-filled past m_length
};

/**
 * \brief Print a connection ID as hex.
 * \param os the stream
 * \param cid the ID
 * \return the stream
 */
std::ostream& operator<<(std::ostream& os, const QuicConnectionId& cid);

/// Hash functor for std::unordered_map keyed by QuicConnectionId.
struct QuicConnectionIdHash
{
    /// \param cid the ID \return its hash
    size_t operator()(const QuicConnectionId& cid) const
    {
        return cid.Hash();
    }
};

} // namespace ns3

#endif /* QUIC_CONNECTION_ID_H */
