/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-packet-number.h"

#include "quic-varint.h"

namespace ns3
{

std::optional<QuicPacketNumberSpace>
QuicPacketNumberSpaceOf(QuicPacketType type)
{
    switch (type)
    {
    case QuicPacketType::INITIAL:
        return QuicPacketNumberSpace::INITIAL;
    case QuicPacketType::HANDSHAKE:
        return QuicPacketNumberSpace::HANDSHAKE;
    case QuicPacketType::ZERO_RTT:
    case QuicPacketType::ONE_RTT:
        return QuicPacketNumberSpace::APPLICATION;
    case QuicPacketType::RETRY:
    case QuicPacketType::VERSION_NEGOTIATION:
        return std::nullopt;
    }
    return std::nullopt;
}

const char*
QuicPacketNumberSpaceName(QuicPacketNumberSpace space)
{
    switch (space)
    {
    case QuicPacketNumberSpace::INITIAL:
        return "Initial";
    case QuicPacketNumberSpace::HANDSHAKE:
        return "Handshake";
    case QuicPacketNumberSpace::APPLICATION:
        return "Application";
    }
    return "Unknown";
}

size_t
QuicPacketNumberLength(uint64_t fullPn, std::optional<uint64_t> largestAcked)
{
    if (fullPn > QUIC_VARINT_MAX)
    {
        return 4;
    }
    uint64_t numUnacked;
    if (largestAcked.has_value())
    {
        if (*largestAcked >= fullPn)
        {
            return 4;
        }
        numUnacked = fullPn - *largestAcked;
    }
    else
    {
        numUnacked = fullPn + 1;
    }
    // numUnacked <= 2^62, so doubling it cannot overflow.
    const uint64_t range = 2 * numUnacked;
    for (size_t n = 1; n < 4; ++n)
    {
        if ((uint64_t{1} << (8 * n)) > range)
        {
            return n;
        }
    }
    return 4;
}

uint64_t
QuicTruncatePacketNumber(uint64_t fullPn, size_t pnLength)
{
    if (pnLength == 0)
    {
        return 0;
    }
    if (pnLength >= 8)
    {
        return fullPn;
    }
    return fullPn & ((uint64_t{1} << (8 * pnLength)) - 1);
}

bool
QuicDecodePacketNumber(std::optional<uint64_t> largestReceived,
                       uint64_t truncatedPn,
                       size_t pnLength,
                       uint64_t& fullPn)
{
    if (pnLength < 1 || pnLength > 4)
    {
        return false;
    }
    const uint64_t win = uint64_t{1} << (8 * pnLength);
    const uint64_t hwin = win / 2;
    const uint64_t mask = win - 1;
    if (truncatedPn > mask)
    {
        return false;
    }
    uint64_t expected = 0;
    if (largestReceived.has_value())
    {
        if (*largestReceived > QUIC_VARINT_MAX)
        {
            return false;
        }
        expected = *largestReceived + 1; // at most 2^62: no overflow
    }
    // All quantities are below 2^63, so the sums below cannot overflow; the comparisons are
    // those of App. A.3 rearranged to avoid unsigned underflow.
    uint64_t candidate = (expected & ~mask) | truncatedPn;
    if (candidate + hwin <= expected && candidate < (QUIC_VARINT_MAX + 1) - win)
    {
        candidate += win;
    }
    else if (candidate > expected + hwin && candidate >= win)
    {
        candidate -= win;
    }
    if (candidate > QUIC_VARINT_MAX)
    {
        return false;
    }
    fullPn = candidate;
    return true;
}

} // namespace ns3
