/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_PACKET_HEADER_H
#define QUIC_PACKET_HEADER_H

#include "quic-buffer.h"
#include "quic-connection-id.h"
#include "quic-error.h"

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <vector>

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

/**
 * \ingroup quic-migration
 * \defgroup quic-packet-header QUIC packet headers (RFC 9000 §17, RFC 9001 §5.4)
 *
 * Pure functions over byte buffers that parse and write the long (§17.2) and short (§17.3)
 * packet headers of QUIC version 1, including Version Negotiation (§17.2.1) and Retry
 * (§17.2.5) packets. No ns-3 object, no allocation on the receive path, no abort: every
 * decoder returns a QuicHeaderStatus and never reads outside the buffer it is given.
 *
 * Receiving is done in two stages because header protection (RFC 9001 §5.4) hides the low
 * bits of the first byte (reserved bits, key phase, packet-number length) and the Packet
 * Number field:
 *
 * 1. QuicParseHeader() reads what is not protected: header form, fixed bit, long packet type,
 *    version, connection IDs, token, Length, the spin bit, and computes the offset of the
 *    packet-number field (m_pnOffset) and the length of the packet within the datagram
 *    (m_packetLength, so that coalesced packets (§12.2) can be split).
 * 2. The caller removes header protection (quic-packet-protection.h, which only needs the
 *    packet bytes and m_pnOffset), then QuicParseHeaderProtectedFields() reads the
 *    packet-number length, the truncated packet number, key phase and reserved bits.
 *    The full packet number is recovered with QuicDecodePacketNumber() (quic-packet-number.h).
 *
 * For routing only, QuicPeekDestinationCid() extracts the Destination Connection ID of a
 * datagram's first packet without validating the rest.
 *
 * Sending: fill a QuicPacketHeader and call QuicEncodeHeader(); it returns the layout of what
 * it wrote (m_pnOffset, where the Length field is) so that the Length field can be written up
 * front or patched with QuicPatchLengthField() once the payload size is known.
 *
 * Deliberately left out: version-specific handling of versions other than 1 (they are only
 * recognised, so that a server can answer with Version Negotiation), and every rule that needs
 * connection state (token validity, Retry acceptance, CID matching, spin-bit policy): those
 * belong to the connection.
 */

/// QUIC version 1 (RFC 9000 §15).
static constexpr uint32_t QUIC_VERSION_1 = 0x00000001;

/// The version value that identifies a Version Negotiation packet (RFC 9000 §17.2.1).
static constexpr uint32_t QUIC_VERSION_NEGOTIATION = 0x00000000;

/**
 * \ingroup quic-packet-header
 * \brief Whether a version is reserved to exercise version negotiation: 0x?a?a?a?a
 * (RFC 9000 §15).
 * \param version the version
 * \return true if the low four bits of every byte are 1010
 */
inline bool
QuicIsReservedVersion(uint32_t version)
{
    return (version & 0x0f0f0f0f) == 0x0a0a0a0a;
}

/**
 * \ingroup quic-packet-header
 * \brief Whether a first byte announces a long header (Header Form bit 0x80, RFC 9000 §17.2).
 * \param firstByte the first byte of a packet
 * \return true for a long header, false for a short header
 */
inline bool
QuicIsLongHeader(uint8_t firstByte)
{
    return (firstByte & 0x80) != 0;
}

/**
 * \ingroup quic-packet-header
 * \brief Name of a packet type for logs and traces.
 * \param type the type
 * \return "Initial", "0-RTT", "Handshake", "Retry", "VersionNegotiation", "1-RTT" (or "Unknown")
 */
const char* QuicPacketTypeName(QuicPacketType type);

/**
 * \brief Print a packet type by name.
 * \param os the stream
 * \param type the type
 * \return the stream
 */
std::ostream& operator<<(std::ostream& os, QuicPacketType type);

/**
 * \ingroup quic-packet-header
 * \brief Result of parsing (or peeking at) a packet header.
 *
 * Every status other than OK and RESERVED_BITS_SET means "drop the packet, and the rest of the
 * datagram if its end cannot be determined"; none of them is a connection error except
 * RESERVED_BITS_SET, and that one only once packet protection has been removed successfully
 * (see QuicParseHeaderProtectedFields()). QuicHeaderStatusToTransportError() gives the code.
 */
enum class QuicHeaderStatus : uint8_t
{
    OK = 0,               ///< header parsed
    TRUNCATED,            ///< the buffer ends inside the header or the packet number
    FIXED_BIT_CLEARED,    ///< fixed bit (0x40) is 0: not a valid v1 packet (FMT-05), drop
    CID_TOO_LONG,         ///< v1 long header with a CID length above 20 (FMT-06), drop
    UNSUPPORTED_VERSION,  ///< long header of a version other than 0 and 1; version and CIDs
                          ///< are filled in so that a server can send Version Negotiation
    LENGTH_PAST_END,      ///< the Length field runs past the end of the datagram
    INVALID_VERSION_LIST, ///< Version Negotiation whose version list is not a multiple of 4
    RESERVED_BITS_SET,    ///< reserved bits non-zero after header protection removal (FMT-05):
                          ///< PROTOCOL_VIOLATION once the packet authenticates
    NO_PACKET_NUMBER,     ///< stage 2 called on a Retry or Version Negotiation header
    INVALID_ARGUMENT,     ///< a caller-supplied parameter is out of range (e.g. CID length > 20)
};

/**
 * \ingroup quic-packet-header
 * \brief Name of a header status for logs and traces, e.g. "CID_TOO_LONG".
 * \param status the status
 * \return the name
 */
const char* QuicHeaderStatusName(QuicHeaderStatus status);

/**
 * \brief Print a header status by name.
 * \param os the stream
 * \param status the status
 * \return the stream
 */
std::ostream& operator<<(std::ostream& os, QuicHeaderStatus status);

/**
 * \ingroup quic-packet-header
 * \brief The transport error a header status calls for.
 * \param status the status
 * \return PROTOCOL_VIOLATION for RESERVED_BITS_SET (RFC 9000 §17.2, §17.3.1; to be raised only
 *         after the packet authenticated); NO_ERROR for every other status, which means either
 *         success (OK) or "drop silently"
 */
QuicTransportError QuicHeaderStatusToTransportError(QuicHeaderStatus status);

/**
 * \ingroup quic-packet-header
 * \brief A QUIC packet header, as parsed from or to be written to the wire.
 *
 * Filled by QuicParseHeader() (stage 1) and QuicParseHeaderProtectedFields() (stage 2); read
 * by QuicEncodeHeader(). Which fields are meaningful depends on m_type, as marked below.
 *
 * Views (m_dcidBytes, m_scidBytes, m_token, m_supportedVersions) point into the buffer given
 * to QuicParseHeader(): they stay valid as long as that buffer is alive and not moved (header
 * protection removal rewrites only the first byte and the packet number, not the bytes they
 * point to). Copy what must outlive the datagram (m_dcid and m_scid already are copies). For
 * encoding, the views point to the caller's data and need only live during the call.
 *
 * The struct is a plain value of under 200 bytes; it owns no heap memory.
 */
struct QuicPacketHeader
{
    /// Length of the Retry Integrity Tag (RFC 9001 §5.8).
    static constexpr size_t RETRY_TAG_LENGTH = 16;

    QuicPacketType m_type{QuicPacketType::ONE_RTT}; //!< packet type
    uint32_t m_version{QUIC_VERSION_1};             //!< version (long headers)

    /// Destination CID (copy). Parsing fills it when its length is at most 20; encoding writes
    /// it for every type but Version Negotiation built from views.
    QuicConnectionId m_dcid;
    /// Source CID (copy, long headers), as m_dcid.
    QuicConnectionId m_scid;
    /// View of the Destination CID bytes on the wire, any length 0..255 (parse only; needed to
    /// echo CIDs of unknown versions in Version Negotiation, which may exceed 20 bytes).
    const uint8_t* m_dcidBytes{nullptr};
    size_t m_dcidLength{0};              //!< length of m_dcidBytes
    const uint8_t* m_scidBytes{nullptr}; //!< view of the Source CID bytes (long headers)
    size_t m_scidLength{0};              //!< length of m_scidBytes

    /// Initial: Token field; Retry: Retry Token. A view (may be null when m_tokenLength is 0).
    const uint8_t* m_token{nullptr};
    size_t m_tokenLength{0}; //!< length of the token

    /// Initial, 0-RTT, Handshake: value of the Length field (packet number + payload + AEAD
    /// tag).
    uint64_t m_length{0};
    /// Size in bytes of the Length varint: parsed from the wire, or for encoding the size to
    /// use (1, 2, 4, 8; 0 = minimal for m_length). 2 covers packets up to 16383 bytes and is
    /// what QuicPatchLengthField() needs when the payload size is not known yet.
    size_t m_lengthFieldSize{2};

    /// Offset of the Packet Number field from the start of the packet (Initial, 0-RTT,
    /// Handshake, 1-RTT). Set by parsing stage 1.
    size_t m_pnOffset{0};
    /// Bytes of the datagram, from the start of this packet, that belong to it: m_pnOffset +
    /// m_length for Initial/0-RTT/Handshake; the whole rest of the datagram for 1-RTT, Retry
    /// and Version Negotiation. The next coalesced packet starts there.
    size_t m_packetLength{0};

    size_t m_pnLength{4};      //!< Packet Number field length, 1..4 (stage 2; encoding)
    uint64_t m_truncatedPn{0}; //!< Packet Number field value; encoding writes its low bytes
    bool m_spinBit{false};     //!< 1-RTT: latency spin bit (not header-protected, stage 1)
    bool m_keyPhase{false};    //!< 1-RTT: key phase bit (stage 2)
    /// Reserved bits as a 2-bit value (stage 2). Must be 0 on the wire (FMT-05); encoding
    /// writes whatever is here, so that fault-injection models can set them.
    uint8_t m_reservedBits{0};
    /// Retry: the 4 unused bits of the first byte; Version Negotiation: the 7 unused bits
    /// (servers SHOULD set 0x40, RFC 9000 §17.2.1). Arbitrary values, ignored by receivers.
    uint8_t m_unusedBits{0};

    /// Retry: the Retry Integrity Tag (RFC 9001 §5.8), copied.
    uint8_t m_retryIntegrityTag[RETRY_TAG_LENGTH]{};

    /// Version Negotiation: the Supported Version list as on the wire (4 bytes each,
    /// big-endian). Use GetSupportedVersion().
    const uint8_t* m_supportedVersions{nullptr};
    size_t m_supportedVersionCount{0}; //!< number of versions in m_supportedVersions

    /// \return true for every type but ONE_RTT
    bool IsLongHeader() const
    {
        return m_type != QuicPacketType::ONE_RTT;
    }

    /// \return true for the types that carry a Packet Number field
    bool HasPacketNumber() const
    {
        return m_type != QuicPacketType::RETRY && m_type != QuicPacketType::VERSION_NEGOTIATION;
    }

    /// \return true for the types that carry a Length field (Initial, 0-RTT, Handshake)
    bool HasLengthField() const
    {
        return m_type == QuicPacketType::INITIAL || m_type == QuicPacketType::ZERO_RTT ||
               m_type == QuicPacketType::HANDSHAKE;
    }

    /// \return offset of the payload from the start of the packet (after stage 2)
    size_t PayloadOffset() const
    {
        return m_pnOffset + m_pnLength;
    }

    /**
     * \brief One entry of a Version Negotiation packet's Supported Version list.
     * \param i index, below m_supportedVersionCount
     * \return the version, or 0 if i is out of range
     */
    uint32_t GetSupportedVersion(size_t i) const;
};

/**
 * \ingroup quic-packet-header
 * \brief What QuicEncodeHeader() wrote, for protection and for patching the Length field.
 *
 * m_packetStart is absolute (an index into the writer's vector); the other offsets are relative
 * to the packet start, like QuicPacketHeader::m_pnOffset.
 */
struct QuicHeaderLayout
{
    size_t m_packetStart{0};     //!< index of the packet's first byte in the writer's vector
    size_t m_headerLength{0};    //!< bytes written (up to and including the packet number)
    size_t m_lengthOffset{0};    //!< offset of the Length field (0: no Length field)
    size_t m_lengthFieldSize{0}; //!< size of the Length field (0: none)
    size_t m_pnOffset{0};        //!< offset of the Packet Number field (0: none)
    size_t m_retryTagOffset{0};  //!< Retry: offset of the Integrity Tag (0: not a Retry)
};

/**
 * \ingroup quic-packet-header
 * \brief Parsing stage 1: the fields not covered by header protection (RFC 9000 §17.2, §17.3).
 *
 * \p data is the start of a packet: the start of a UDP payload or, for coalesced packets, the
 * byte after the previous packet (at its m_packetLength). Checks, in order:
 * - long header: Version 0 is Version Negotiation (fixed bit ignored; CIDs of any length up to
 *   255; the rest of the datagram is the version list); any version other than 1 gives
 *   UNSUPPORTED_VERSION with m_version and the CID views filled in (the invariant fields, RFC
 *   8999), so that a server can answer with Version Negotiation; then for version 1: fixed bit
 *   set (else FIXED_BIT_CLEARED, FMT-05), CID lengths at most 20 (else CID_TOO_LONG, FMT-06),
 *   and per type: Retry (token, 16-byte tag), Initial (Token Length, Token, Length),
 *   0-RTT/Handshake (Length). The Length field must not run past the datagram
 *   (LENGTH_PAST_END).
 * - short header: fixed bit set (else FIXED_BIT_CLEARED), then a Destination CID of
 *   shortHeaderDcidLength bytes (not on the wire: it is the length of the receiver's own CIDs).
 *   The spin bit is read here; it is not protected.
 *
 * On OK, m_pnOffset and m_packetLength are set for types with a packet number. The caller must
 * still check that the packet is long enough for header protection's sample.
 *
 * \param data start of the packet (may be null when size is 0)
 * \param size bytes from data to the end of the datagram
 * \param shortHeaderDcidLength length of the local CIDs, for short headers (0..20)
 * \param out receives the fields (reset first; partially filled on some errors as described)
 * \return OK, or why the packet must be dropped
 */
QuicHeaderStatus QuicParseHeader(const uint8_t* data,
                                 size_t size,
                                 size_t shortHeaderDcidLength,
                                 QuicPacketHeader& out);

/**
 * \ingroup quic-packet-header
 * \brief Parsing stage 2: the fields covered by header protection, once it is removed
 * (RFC 9000 §17.2, §17.3.1; RFC 9001 §5.4).
 *
 * Reads from data[0] the packet-number length, reserved bits and (short header) key phase,
 * then the truncated packet number at header.m_pnOffset. The Packet Number field must lie
 * within the packet (m_pnOffset + m_pnLength <= m_packetLength, i.e. the Length field covers
 * it) and within size.
 *
 * Non-zero reserved bits give RESERVED_BITS_SET with every other field filled in: per RFC 9000
 * §17.2 and RFC 9001 §9.5 the caller must still remove packet protection, and close the
 * connection with PROTOCOL_VIOLATION only if the packet authenticates (drop it otherwise).
 *
 * \param data start of the packet, header protection removed (the same packet as stage 1)
 * \param size bytes from data to the end of the datagram (as for stage 1)
 * \param header a header that QuicParseHeader() returned OK for on this packet; completed here
 * \return OK, RESERVED_BITS_SET, TRUNCATED (packet number past the packet), NO_PACKET_NUMBER
 *         (Retry or Version Negotiation header)
 */
QuicHeaderStatus QuicParseHeaderProtectedFields(const uint8_t* data,
                                                size_t size,
                                                QuicPacketHeader& header);

/**
 * \ingroup quic-packet-header
 * \brief Fast path for demultiplexing: header form, version and Destination CID of a
 * datagram's first packet.
 *
 * Reads at most 6 + 20 bytes and validates nothing else (fixed bit, type, the rest of the
 * header): the full parse does that once the packet is routed.
 *
 * \param data start of the datagram
 * \param size its length
 * \param shortHeaderDcidLength length of the local CIDs, for short headers (0..20)
 * \param isLongHeader receives the header form
 * \param version receives the version (long header), 0 for a short header
 * \param dcid receives the Destination CID
 * \return OK; TRUNCATED; CID_TOO_LONG when a long header's DCID length is above 20 (isLongHeader
 *         and version are set: a server still answers an unknown version with Version
 *         Negotiation after a full QuicParseHeader()); INVALID_ARGUMENT if
 *         shortHeaderDcidLength > 20
 */
QuicHeaderStatus QuicPeekDestinationCid(const uint8_t* data,
                                        size_t size,
                                        size_t shortHeaderDcidLength,
                                        bool& isLongHeader,
                                        uint32_t& version,
                                        QuicConnectionId& dcid);

/**
 * \ingroup quic-packet-header
 * \brief Write a packet header (RFC 9000 §17.2, §17.3), unprotected, up to and including the
 * Packet Number field; for Retry and Version Negotiation the whole packet.
 *
 * Per type:
 * - INITIAL, ZERO_RTT, HANDSHAKE: first byte 0xc0 | type << 4 | m_reservedBits << 2 |
 *   (m_pnLength - 1), m_version, m_dcid, m_scid, (Initial) token, Length = m_length encoded on
 *   m_lengthFieldSize bytes (0: minimal), then the low m_pnLength bytes of m_truncatedPn.
 *   m_length is to count the packet number, the payload and the 16-byte AEAD tag; leave it 0
 *   and call QuicPatchLengthField() once the payload is known if it is not known yet.
 * - ONE_RTT: first byte 0x40 | spin << 5 | m_reservedBits << 3 | keyPhase << 2 |
 *   (m_pnLength - 1), m_dcid, packet number.
 * - RETRY: first byte 0xf0 | (m_unusedBits & 0x0f), version, CIDs, token, m_retryIntegrityTag.
 *   The tag is computed over a pseudo-packet (RFC 9001 §5.8): write it with any value and
 *   overwrite it at layout.m_retryTagOffset.
 * - VERSION_NEGOTIATION: first byte 0x80 | (m_unusedBits & 0x7f), version 0, CIDs, and the
 *   m_supportedVersions list. See also QuicEncodeVersionNegotiation().
 *
 * Nothing is written on failure.
 *
 * \param header the fields
 * \param writer where to append the header
 * \param layout if not null, receives the offsets of what was written
 * \return false if a field is out of range: m_pnLength not 1..4, m_reservedBits > 3,
 *         m_lengthFieldSize not 0/1/2/4/8 or too small for m_length, m_length above 2^62-1, a
 *         token on a type without one, a null view with a non-zero length
 */
bool QuicEncodeHeader(const QuicPacketHeader& header,
                      QuicBufferWriter& writer,
                      QuicHeaderLayout* layout = nullptr);

/**
 * \ingroup quic-packet-header
 * \brief Write a complete Version Negotiation packet (RFC 9000 §17.2.1).
 *
 * The CIDs are echoed from the packet being answered (its SCID becomes our DCID and vice
 * versa), and may be up to 255 bytes long since they may belong to another version.
 *
 * \param dcid Destination CID bytes (the client's SCID)
 * \param dcidLength their count (0..255)
 * \param scid Source CID bytes (the client's DCID)
 * \param scidLength their count (0..255)
 * \param versions supported versions
 * \param versionCount their count
 * \param unusedBits the 7 unused bits of the first byte (set 0x40 to look like QUIC v1 to
 *        middleboxes, RFC 9000 §17.2.1; the rest may be random)
 * \param writer where to append the packet
 * \return false (nothing written) if a CID length exceeds 255 or a non-empty input is null
 */
bool QuicEncodeVersionNegotiation(const uint8_t* dcid,
                                  size_t dcidLength,
                                  const uint8_t* scid,
                                  size_t scidLength,
                                  const uint32_t* versions,
                                  size_t versionCount,
                                  uint8_t unusedBits,
                                  QuicBufferWriter& writer);

/**
 * \ingroup quic-packet-header
 * \brief Write the Length field of a long header after the fact.
 *
 * The field keeps the size it was written with (layout.m_lengthFieldSize), so nothing moves.
 *
 * \param buffer the writer's vector
 * \param layout the layout QuicEncodeHeader() returned for the packet
 * \param length the Length value: packet-number length + payload length + AEAD tag length
 * \return false if the layout has no Length field, lies outside buffer, or length does not fit
 */
bool QuicPatchLengthField(std::vector<uint8_t>& buffer,
                          const QuicHeaderLayout& layout,
                          uint64_t length);

} // namespace ns3

#endif /* QUIC_PACKET_HEADER_H */
