/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_PACKET_CODEC_H
#define QUIC_PACKET_CODEC_H

#include "quic-buffer.h"
#include "quic-frame.h"
#include "quic-packet-header.h"
#include "quic-packet-protection.h"

#include <cstdint>
#include <optional>
#include <ostream>
#include <vector>

namespace ns3
{

/**
 * \ingroup quic-migration
 * \brief Outcome of QuicUnprotectPacket().
 *
 * Everything but OK and RESERVED_BITS_SET means "drop the packet silently"
 * (RFC 9000 §12.2, RFC 9001 §5.5): a packet that fails authentication is not
 * an error of the connection. RESERVED_BITS_SET is reported only for packets
 * that authenticated: the connection closes with PROTOCOL_VIOLATION (§17.2).
 */
enum class QuicUnprotectStatus : uint8_t
{
    OK,                ///< payload authenticated and decrypted
    NO_PACKET_NUMBER,  ///< Retry or Version Negotiation: nothing to unprotect
    TOO_SHORT,         ///< too short for a header-protection sample
    BAD_PACKET_NUMBER, ///< the packet number cannot be recovered
    AUTH_FAILED,       ///< AEAD authentication failed (forged, corrupt or wrong keys)
    RESERVED_BITS_SET, ///< authenticated, but reserved header bits are non-zero
};

/**
 * \brief Name of an unprotect status, for traces and logs.
 * \param status the status
 * \return e.g. "AUTH_FAILED"
 */
const char* QuicUnprotectStatusName(QuicUnprotectStatus status);

/**
 * \brief Print an unprotect status by name.
 * \param os the stream
 * \param status the status
 * \return the stream
 */
std::ostream& operator<<(std::ostream& os, QuicUnprotectStatus status);

/**
 * \ingroup quic-migration
 * \brief Remove header and payload protection from one received packet, in place.
 *
 * The receive path of RFC 9001 §5: the caller has parsed the unprotected part
 * of the header with QuicParseHeader() (which gives m_pnOffset and
 * m_packetLength) and chosen the keys of the packet's epoch. This function
 * removes header protection, completes the header (QuicParseHeaderProtectedFields),
 * recovers the full packet number from the largest one received in the same
 * packet-number space (RFC 9000 App. A.3), and authenticates and decrypts the
 * payload.
 *
 * \param packet start of the packet (inside the datagram buffer; modified)
 * \param header the stage-1 header of this packet; completed on return
 * \param opener the keys of the packet's epoch
 * \param largestReceived the largest packet number received so far in the space
 * \param packetNumber receives the full packet number
 * \param payload receives a pointer to the decrypted payload (inside packet)
 * \param payloadLength receives its length
 * \return the status; on anything but OK the payload must not be used
 */
QuicUnprotectStatus QuicUnprotectPacket(uint8_t* packet,
                                        QuicPacketHeader& header,
                                        QuicPacketProtector& opener,
                                        std::optional<uint64_t> largestReceived,
                                        uint64_t& packetNumber,
                                        const uint8_t*& payload,
                                        size_t& payloadLength);

/**
 * \ingroup quic-migration
 * \brief Builds one protected packet at the end of a datagram buffer.
 *
 * The send path of RFC 9000 §12-§17 and RFC 9001 §5: Begin() writes the
 * header, AddFrame() appends frames while they fit in the packet's budget,
 * Finish() pads the packet when it is too short for a header-protection
 * sample (RFC 9001 §5.4.2), fills the Length field of long headers and
 * protects the packet. Several packets can be coalesced into one datagram by
 * building them one after the other into the same buffer (RFC 9000 §12.2).
 *
 * The builder keeps no heap memory of its own: it writes into the caller's
 * vector, which should have its capacity reserved once.
 */
class QuicPacketBuilder
{
  public:
    QuicPacketBuilder();

    /**
     * \brief Start a packet.
     * \param datagram buffer to append the packet to
     * \param header the header fields (type, CIDs, token, spin/key phase);
     *        m_pnLength and m_truncatedPn are set here from packetNumber
     * \param packetNumber the full packet number
     * \param largestAcked largest acknowledged packet number of the space, if any
     *        (chooses the packet-number length, RFC 9000 §17.1)
     * \param maxPacketSize largest size this packet may have, tag included
     * \return false (nothing written) if the header does not fit or cannot be encoded
     */
    bool Begin(std::vector<uint8_t>& datagram,
               const QuicPacketHeader& header,
               uint64_t packetNumber,
               std::optional<uint64_t> largestAcked,
               size_t maxPacketSize);

    /// \return bytes still available for frames in this packet
    size_t Remaining() const;

    /// \return plaintext payload bytes written so far
    size_t PayloadLength() const;

    /**
     * \brief Append a frame if it fits.
     * \param frame the frame
     * \return false (nothing written) if it does not fit or cannot be encoded
     */
    bool AddFrame(const QuicFrame& frame);

    /**
     * \brief Append PADDING so that the datagram reaches a total size once
     * this packet is protected (e.g. 1200 bytes for Initial datagrams,
     * RFC 9000 §14.1, and path probes, §8.2.1), within the packet's budget.
     * \param datagramSize wanted datagram size, tag of this packet included
     */
    void PadDatagramTo(size_t datagramSize);

    /// \return a writer appending to the payload (for frames encoded
    ///         directly, e.g. STREAM data without a temporary copy); the caller
    ///         must stay within Remaining()
    QuicBufferWriter Writer();

    /**
     * \brief Pad to the header-protection minimum, set the Length field and protect.
     * \param sealer the keys of the packet's epoch
     * \return false if protection fails (the packet is removed from the buffer)
     */
    bool Finish(QuicPacketProtector& sealer);

    /// \return the header as encoded by Begin()
    const QuicPacketHeader& Header() const;

    /// \return offset of the packet's first byte in the datagram buffer
    size_t PacketStart() const;

  private:
    std::vector<uint8_t>* m_datagram; //!< destination buffer
    QuicPacketHeader m_header;        //!< header being built
    QuicHeaderLayout m_layout;        //!< what the header encoder wrote
    uint64_t m_packetNumber;          //!< full packet number
    size_t m_limit;                   //!< absolute end of the packet's budget, tag excluded
    bool m_open;                      //!< Begin() succeeded and Finish() not yet called
};

} // namespace ns3

#endif /* QUIC_PACKET_CODEC_H */
