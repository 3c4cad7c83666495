/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-varint.h"

namespace ns3
{

size_t
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

size_t
QuicVarintEncode(uint64_t value, uint8_t* out, size_t capacity)
{
    size_t length = QuicVarintSize(value);
    if (length == 0)
    {
        return 0;
    }
    return QuicVarintEncodeWithLength(value, length, out, capacity);
}

size_t
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
