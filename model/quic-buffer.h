/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_BUFFER_H
#define QUIC_BUFFER_H

#include "quic-varint.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace ns3
{

/**
 * \ingroup quic-migration
 * \brief Bounds-checked cursor over a read-only byte buffer.
 *
 * Every Read method returns false, and leaves the cursor and the output
 * untouched, when the buffer does not hold enough bytes. It never reads past
 * the end of the buffer: it is the only way the wire layer looks at bytes
 * that came from the network.
 */
class QuicBufferReader
{
  public:
    /**
     * \param data start of the buffer (may be null when size is 0)
     * \param size bytes in the buffer
     */
    QuicBufferReader(const uint8_t* data, size_t size)
        : m_data(data),
          m_size(size),
          m_pos(0)
    {
    }

    /// \return bytes not yet read
    size_t Remaining() const
    {
        return m_size - m_pos;
    }

    /// \return bytes already read
    size_t Position() const
    {
        return m_pos;
    }

    /// \return total bytes in the buffer
    size_t Size() const
    {
        return m_size;
    }

    /// \return true when every byte has been read
    bool AtEnd() const
    {
        return m_pos == m_size;
    }

    /// \return pointer to the next unread byte
    const uint8_t* Current() const
    {
        return m_data + m_pos;
    }

    /// \return pointer to the start of the buffer
    const uint8_t* Data() const
    {
        return m_data;
    }

    /**
     * \param v receives the byte
     * \return false if no byte is left
     */
    bool ReadU8(uint8_t& v)
    {
        if (Remaining() < 1)
        {
            return false;
        }
        v = m_data[m_pos++];
        return true;
    }

    /**
     * \brief Read an unsigned big-endian integer of 1 to 8 bytes.
     * \param n number of bytes (1..8)
     * \param v receives the value
     * \return false if n is out of range or the buffer too short
     */
    bool ReadUintN(size_t n, uint64_t& v)
    {
        if (n == 0 || n > 8 || Remaining() < n)
        {
            return false;
        }
        uint64_t r = 0;
        for (size_t i = 0; i < n; ++i)
        {
            r = (r << 8) | m_data[m_pos + i];
        }
        m_pos += n;
        v = r;
        return true;
    }

    /**
     * \param v receives the value
     * \return false if the buffer is too short
     */
    bool ReadU16(uint16_t& v)
    {
        uint64_t r;
        if (!ReadUintN(2, r))
        {
            return false;
        }
        v = static_cast<uint16_t>(r);
        return true;
    }

    /**
     * \param v receives the value
     * \return false if the buffer is too short
     */
    bool ReadU32(uint32_t& v)
    {
        uint64_t r;
        if (!ReadUintN(4, r))
        {
            return false;
        }
        v = static_cast<uint32_t>(r);
        return true;
    }

    /**
     * \brief Read a variable-length integer (RFC 9000 §16).
     * \param v receives the value
     * \return false if the encoding runs past the end of the buffer
     */
    bool ReadVarint(uint64_t& v)
    {
        size_t n = QuicVarintDecode(m_data + m_pos, Remaining(), v);
        if (n == 0)
        {
            return false;
        }
        m_pos += n;
        return true;
    }

    /**
     * \brief Read a variable-length integer and report its encoded length.
     * \param v receives the value
     * \param length receives the encoded length
     * \return false if the encoding runs past the end of the buffer
     */
    bool ReadVarint(uint64_t& v, size_t& length)
    {
        size_t n = QuicVarintDecode(m_data + m_pos, Remaining(), v);
        if (n == 0)
        {
            return false;
        }
        m_pos += n;
        length = n;
        return true;
    }

    /**
     * \brief Copy n bytes out.
     * \param dst destination (n bytes)
     * \param n count
     * \return false if the buffer is too short
     */
    bool ReadBytes(uint8_t* dst, size_t n)
    {
        if (Remaining() < n)
        {
            return false;
        }
        if (n > 0)
        {
            std::memcpy(dst, m_data + m_pos, n);
        }
        m_pos += n;
        return true;
    }

    /**
     * \brief Take a view of the next n bytes without copying.
     * \param p receives a pointer into the buffer
     * \param n count
     * \return false if the buffer is too short
     */
    bool ReadSpan(const uint8_t*& p, size_t n)
    {
        if (Remaining() < n)
        {
            return false;
        }
        p = m_data + m_pos;
        m_pos += n;
        return true;
    }

    /**
     * \param n bytes to skip
     * \return false if the buffer is too short
     */
    bool Skip(size_t n)
    {
        if (Remaining() < n)
        {
            return false;
        }
        m_pos += n;
        return true;
    }

  private:
    const uint8_t* m_data; //!< buffer start
    size_t m_size;         //!< buffer size
    size_t m_pos;          //!< read position
};

/**
 * \ingroup quic-migration
 * \brief Appends big-endian integers, varints and bytes to a byte vector.
 *
 * The writer does not own the vector; several writers may append to the
 * same vector in turn. Write methods that can fail (values out of range)
 * return false and write nothing.
 */
class QuicBufferWriter
{
  public:
    /// \param out the vector to append to
    explicit QuicBufferWriter(std::vector<uint8_t>& out)
        : m_out(out)
    {
    }

    /// \return current size of the underlying vector
    size_t Size() const
    {
        return m_out.size();
    }

    /// \return the underlying vector
    std::vector<uint8_t>& Buffer()
    {
        return m_out;
    }

    /// \param v the byte
    void WriteU8(uint8_t v)
    {
        m_out.push_back(v);
    }

    /**
     * \brief Append an unsigned integer as n big-endian bytes (its low bytes).
     * \param v the value
     * \param n number of bytes (1..8)
     */
    void WriteUintN(uint64_t v, size_t n)
    {
        for (size_t i = n; i > 0; --i)
        {
            m_out.push_back(static_cast<uint8_t>(v >> (8 * (i - 1))));
        }
    }

    /// \param v the value
    void WriteU16(uint16_t v)
    {
        WriteUintN(v, 2);
    }

    /// \param v the value
    void WriteU32(uint32_t v)
    {
        WriteUintN(v, 4);
    }

    /**
     * \brief Append a variable-length integer with its minimal length.
     * \param v the value
     * \return false (nothing written) if v > QUIC_VARINT_MAX
     */
    bool WriteVarint(uint64_t v)
    {
        uint8_t tmp[8];
        size_t n = QuicVarintEncode(v, tmp, sizeof(tmp));
        if (n == 0)
        {
            return false;
        }
        m_out.insert(m_out.end(), tmp, tmp + n);
        return true;
    }

    /**
     * \brief Append a variable-length integer using exactly length bytes.
     * \param v the value
     * \param length 1, 2, 4 or 8
     * \return false (nothing written) if the value does not fit
     */
    bool WriteVarintWithLength(uint64_t v, size_t length)
    {
        uint8_t tmp[8];
        size_t n = QuicVarintEncodeWithLength(v, length, tmp, sizeof(tmp));
        if (n == 0)
        {
            return false;
        }
        m_out.insert(m_out.end(), tmp, tmp + n);
        return true;
    }

    /**
     * \param p bytes to append
     * \param n count
     */
    void WriteBytes(const uint8_t* p, size_t n)
    {
        if (n > 0)
        {
            m_out.insert(m_out.end(), p, p + n);
        }
    }

    /**
     * \param n count of zero bytes to append (PADDING)
     */
    void WriteZeros(size_t n)
    {
        m_out.resize(m_out.size() + n, 0);
    }

  private:
    std::vector<uint8_t>& m_out; //!< destination
};

} // namespace ns3

#endif /* QUIC_BUFFER_H */
