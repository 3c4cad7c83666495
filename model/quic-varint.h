/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_VARINT_H
#define QUIC_VARINT_H

#include <cstddef>
#include <cstdint>

namespace ns3
{

/**
 * \ingroup quic-migration
 * \brief QUIC variable-length integers (RFC 9000 §16).
 *
 * The two most significant bits of the first byte give the encoded length
 * (1, 2, 4 or 8 bytes); the remaining bits hold the value in network byte
 * order. Values range from 0 to 2^62-1. Decoding accepts non-minimal
 * encodings (they are legal everywhere except for frame types, which the
 * frame decoder checks itself); QuicVarintDecode() reports the length used.
 *
 * These are pure functions over byte buffers: they never abort and never
 * read or write outside the buffer they are given.
 */

/// Largest value a variable-length integer can carry: 2^62 - 1.
static constexpr uint64_t QUIC_VARINT_MAX = 0x3fffffffffffffffULL;

/**
 * \brief Minimal encoded length of a value.
 * \param value the value
 * \return 1, 2, 4 or 8; 0 if value > QUIC_VARINT_MAX
 */
inline size_t
QuicVarintSize(uint64_t value)
{
    if (value <= 63)
    {
        return 1;
    }
    if (value <= 16383)
    {
        return 2;
    }
    if (value <= 1073741823)
    {
        return 4;
    }
    if (value <= QUIC_VARINT_MAX)
    {
        return 8;
    }
    return 0;
}

/**
 * \brief Length of a variable-length integer given its first byte.
 * \param firstByte the first byte of the encoding
 * \return 1, 2, 4 or 8
 */
inline size_t
QuicVarintLengthFromFirstByte(uint8_t firstByte)
{
    return size_t{1} << (firstByte >> 6);
}

/**
 * \brief Encode a value using exactly \p length bytes (1, 2, 4 or 8).
 *
 * Used for fields that are reserved before their value is known (e.g. the
 * Length field of a long header).
 * \param value the value
 * \param length the encoding length
 * \param out destination buffer
 * \param capacity bytes available at out
 * \return bytes written; 0 if length is invalid, the value does not fit or the buffer is too small
 */
inline size_t
QuicVarintEncodeWithLength(uint64_t value, size_t length, uint8_t* out, size_t capacity)
{
    uint8_t prefix;
    switch (length)
    {
    case 1:
        prefix = 0x00;
        break;
    case 2:
        prefix = 0x40;
        break;
    case 4:
        prefix = 0x80;
        break;
    case 8:
        prefix = 0xc0;
        break;
    default:
        return 0;
    }
    if (length < 8 && value >= (uint64_t{1} << (8 * length - 2)))
    {
        return 0;
    }
    if (value > QUIC_VARINT_MAX || capacity < length)
    {
        return 0;
    }
    for (size_t i = 0; i < length; ++i)
    {
        out[length - 1 - i] = static_cast<uint8_t>(value >> (8 * i));
    }
    out[0] |= prefix;
    return length;
}

/**
 * \brief Encode a value with its minimal length.
 * \param value the value (at most QUIC_VARINT_MAX)
 * \param out destination buffer
 * \param capacity bytes available at out
 * \return bytes written; 0 if the value is too large or the buffer too small
 */
inline size_t
QuicVarintEncode(uint64_t value, uint8_t* out, size_t capacity)
{
    size_t length = QuicVarintSize(value);
    if (length == 0)
    {
        return 0;
    }
    return QuicVarintEncodeWithLength(value, length, out, capacity);
}

/**
 * \brief Decode a variable-length integer.
 * \param in source buffer
 * \param size bytes available at in
 * \param value receives the decoded value
 * \return bytes consumed; 0 if the encoding runs past the end of the buffer
 */
inline size_t
QuicVarintDecode(const uint8_t* in, size_t size, uint64_t& value)
{
    if (size == 0)
    {
        return 0;
    }
    size_t length = QuicVarintLengthFromFirstByte(in[0]);
    if (length > size)
    {
        return 0;
    }
    uint64_t v = in[0] & 0x3f;
    for (size_t i = 1; i < length; ++i)
    {
        v = (v << 8) | in[i];
    }
    value = v;
    return length;
}

} // namespace ns3

#endif /* QUIC_VARINT_H */
