/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_PACKET_NUMBER_H
#define QUIC_PACKET_NUMBER_H

#include "quic-packet-header.h"

#include <cstddef>
#include <cstdint>
#include <optional>

namespace ns3
{

/**
 * \ingroup quic-migration
 * \defgroup quic-packet-number QUIC packet numbers (RFC 9000 §12.3, §17.1, App. A.2, A.3)
 *
 * Packet numbers are integers 0 .. 2^62-1, one independent sequence per packet number space
 * (§12.3). In a packet header only their 1 to 4 least significant bytes are sent (§17.1):
 *
 * - the sender picks the encoding length with QuicPacketNumberLength() (App. A.2) from the
 *   largest packet number the peer has acknowledged in that space, and writes
 *   QuicTruncatePacketNumber();
 * - the receiver, once header protection is removed, recovers the full number with
 *   QuicDecodePacketNumber() (App. A.3) from the largest packet number it has successfully
 *   processed in that space.
 *
 * "No acknowledgment yet" and "nothing received yet" are std::nullopt, never a magic value.
 *
 * These are pure functions: no allocation, no abort, every input accepted. Values coming from
 * the wire (truncated number, length) are checked and reported through a false return.
 * The largest packet number, 2^62-1, is QUIC_VARINT_MAX (quic-varint.h).
 */

/**
 * \ingroup quic-packet-number
 * \brief The three packet number spaces (RFC 9000 §12.3; RFC 9001 §4, Table 1).
 *
 * The numeric values are dense (0..2) so that they can index per-space arrays of
 * QUIC_PN_SPACE_COUNT elements.
 */
enum class QuicPacketNumberSpace : uint8_t
{
    INITIAL = 0,     ///< Initial packets
    HANDSHAKE = 1,   ///< Handshake packets
    APPLICATION = 2, ///< 0-RTT and 1-RTT packets (application data space)
};

/// Number of packet number spaces, for per-space arrays indexed by QuicPacketNumberSpace.
static constexpr size_t QUIC_PN_SPACE_COUNT = 3;

/**
 * \ingroup quic-packet-number
 * \brief The packet number space of a packet type (RFC 9001 §4, Table 1).
 *
 * Initial -> INITIAL, Handshake -> HANDSHAKE, 0-RTT and 1-RTT -> APPLICATION. Retry and
 * Version Negotiation packets carry no packet number and belong to no space.
 *
 * \param type the packet type
 * \return the space, or std::nullopt for RETRY and VERSION_NEGOTIATION (and any value outside
 *         the enumeration)
 */
std::optional<QuicPacketNumberSpace> QuicPacketNumberSpaceOf(QuicPacketType type);

/**
 * \ingroup quic-packet-number
 * \brief Name of a packet number space for logs and traces.
 * \param space the space
 * \return "Initial", "Handshake", "Application" (or "Unknown")
 */
const char* QuicPacketNumberSpaceName(QuicPacketNumberSpace space);

/**
 * \ingroup quic-packet-number
 * \brief Number of bytes (1..4) to encode a packet number in a header (RFC 9000 §17.1,
 * App. A.2).
 *
 * The encoding must represent a range of more than twice the number of packet numbers not yet
 * acknowledged, including the one being sent: the result is the smallest n with
 * 2^(8n) > 2 * numUnacked, where numUnacked = fullPn - largestAcked, or fullPn + 1 before any
 * acknowledgment in the space (which also makes the first packets carry their full number).
 *
 * Example (App. A.2): largestAcked 0xabe8b3, fullPn 0xac5c02 -> 2 bytes; fullPn 0xace8fe
 * -> 3 bytes.
 *
 * If more than 2^31 packets are outstanding no 4-byte encoding is safe; the result is then 4
 * (the sender should never get there: its congestion window is far smaller). An inconsistent
 * call (fullPn <= largestAcked, or values above 2^62-1) also gives the safest length, 4.
 *
 * This is the minimum the MUST of §17.1 allows; a sender that expects heavy reordering (the
 * SHOULD of §17.1) can pass an older largestAcked to get a longer encoding.
 *
 * \param fullPn the full packet number of the packet being sent
 * \param largestAcked the largest packet number acknowledged by the peer in the same space,
 *        or std::nullopt if none has been acknowledged yet
 * \return the encoding length in bytes, 1 to 4
 */
size_t QuicPacketNumberLength(uint64_t fullPn, std::optional<uint64_t> largestAcked);

/**
 * \ingroup quic-packet-number
 * \brief The least significant bytes of a packet number: the value of the Packet Number field.
 * \param fullPn the full packet number
 * \param pnLength the encoding length in bytes (1..4; 0 gives 0, values above 8 are taken as 8)
 * \return fullPn modulo 2^(8 * pnLength)
 */
uint64_t QuicTruncatePacketNumber(uint64_t fullPn, size_t pnLength);

/**
 * \ingroup quic-packet-number
 * \brief Recover a full packet number from its truncated encoding (RFC 9000 §17.1, App. A.3).
 *
 * Returns the packet number closest to expected = largestReceived + 1 whose low
 * 8 * pnLength bits equal truncatedPn, i.e. the one in (expected - win/2, expected + win/2]
 * with win = 2^(8 * pnLength), staying within 0 .. 2^62-1.
 *
 * Example (App. A.3): largestReceived 0xa82f30ea, 2-byte value 0x9b32 -> 0xa82f9b32.
 *
 * \param largestReceived the largest packet number successfully processed (authenticated) in
 *        this space, or std::nullopt if none yet (expected is then 0)
 * \param truncatedPn the value of the Packet Number field
 * \param pnLength the length of the Packet Number field in bytes (1..4)
 * \param fullPn receives the recovered packet number (unchanged on failure)
 * \return false if pnLength is not 1..4, truncatedPn does not fit in pnLength bytes,
 *         largestReceived is above 2^62-1, or the only candidate is above 2^62-1 (the space is
 *         exhausted); the packet is then to be dropped
 */
bool QuicDecodePacketNumber(std::optional<uint64_t> largestReceived,
                            uint64_t truncatedPn,
                            size_t pnLength,
                            uint64_t& fullPn);

} // namespace ns3

#endif /* QUIC_PACKET_NUMBER_H */
