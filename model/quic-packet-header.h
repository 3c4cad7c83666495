/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_PACKET_HEADER_H
#define QUIC_PACKET_HEADER_H

// Being filled in by the wire-layer work (issue 2).

#include <cstdint>

namespace ns3
{

/**
 * \ingroup quic-migration
 * \brief QUIC packet types (RFC 9000 §17).
 */
enum class QuicPacketType : uint8_t
{
    INITIAL = 0,             ///< long header, type 0x0
    ZERO_RTT = 1,            ///< long header, type 0x1
    HANDSHAKE = 2,           ///< long header, type 0x2
    RETRY = 3,               ///< long header, type 0x3
    VERSION_NEGOTIATION = 4, ///< long header with version 0
    ONE_RTT = 5,             ///< short header
};

} // namespace ns3

#endif /* QUIC_PACKET_HEADER_H */
