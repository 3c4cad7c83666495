/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-packet-codec.h"

#include "quic-packet-number.h"

namespace ns3
{

namespace
{
/// A header-protection sample starts 4 bytes after the packet-number field
/// and is 16 bytes long (RFC 9001 §5.4.2): packet number + payload + tag must
/// span at least 20 bytes, i.e. packet number + payload at least 4.
constexpr size_t MIN_PN_AND_PAYLOAD =
    QUIC_HP_SAMPLE_OFFSET + QUIC_HP_SAMPLE_LENGTH - QUIC_AEAD_TAG_LENGTH;
} // namespace

const char*
QuicUnprotectStatusName(QuicUnprotectStatus status)
{
    switch (status)
    {
    case QuicUnprotectStatus::OK:
        return "OK";
    case QuicUnprotectStatus::NO_PACKET_NUMBER:
        return "NO_PACKET_NUMBER";
    case QuicUnprotectStatus::TOO_SHORT:
        return "TOO_SHORT";
    case QuicUnprotectStatus::BAD_PACKET_NUMBER:
        return "BAD_PACKET_NUMBER";
    case QuicUnprotectStatus::AUTH_FAILED:
        return "AUTH_FAILED";
    case QuicUnprotectStatus::RESERVED_BITS_SET:
        return "RESERVED_BITS_SET";
    }
    return "UNKNOWN";
}

std::ostream&
operator<<(std::ostream& os, QuicUnprotectStatus status)
{
    return os << QuicUnprotectStatusName(status);
}

QuicUnprotectStatus
QuicUnprotectPacket(uint8_t* packet,
                    QuicPacketHeader& header,
                    QuicPacketProtector& opener,
                    std::optional<uint64_t> largestReceived,
                    uint64_t& packetNumber,
                    const uint8_t*& payload,
                    size_t& payloadLength)
{
    if (!header.HasPacketNumber())
    {
        return QuicUnprotectStatus::NO_PACKET_NUMBER;
    }
    size_t pnLength = 0;
    uint64_t truncated = 0;
    if (!opener.RemoveHeaderProtection(packet,
                                       header.m_packetLength,
                                       header.m_pnOffset,
                                       pnLength,
                                       truncated))
    {
        return QuicUnprotectStatus::TOO_SHORT;
    }
    QuicHeaderStatus st = QuicParseHeaderProtectedFields(packet, header.m_packetLength, header);
    if (st != QuicHeaderStatus::OK && st != QuicHeaderStatus::RESERVED_BITS_SET)
    {
        return QuicUnprotectStatus::TOO_SHORT;
    }
    uint64_t pn = 0;
    if (!QuicDecodePacketNumber(largestReceived, header.m_truncatedPn, header.m_pnLength, pn))
    {
        return QuicUnprotectStatus::BAD_PACKET_NUMBER;
    }
    size_t length = 0;
    if (!opener.Open(pn, packet, header.PayloadOffset(), header.m_packetLength, length))
    {
        return QuicUnprotectStatus::AUTH_FAILED;
    }
    packetNumber = pn;
    payload = packet + header.PayloadOffset();
    payloadLength = length;
    // Reserved bits are checked only after authentication (RFC 9000 §17.2,
    // RFC 9001 §9.5): an unauthenticated packet must not close the connection.
    return st == QuicHeaderStatus::RESERVED_BITS_SET ? QuicUnprotectStatus::RESERVED_BITS_SET
                                                     : QuicUnprotectStatus::OK;
}

QuicPacketBuilder::QuicPacketBuilder()
    : m_datagram(nullptr),
      m_packetNumber(0),
      m_limit(0),
      m_open(false)
{
}

bool
QuicPacketBuilder::Begin(std::vector<uint8_t>& datagram,
                         const QuicPacketHeader& header,
                         uint64_t packetNumber,
                         std::optional<uint64_t> largestAcked,
                         size_t maxPacketSize)
{
    m_open = false;
    if (packetNumber > QUIC_MAX_PACKET_NUMBER)
    {
        return false;
    }
    m_header = header;
    m_header.m_pnLength = QuicPacketNumberLength(packetNumber, largestAcked);
    m_header.m_truncatedPn = QuicTruncatePacketNumber(packetNumber, m_header.m_pnLength);
    if (m_header.HasLengthField())
    {
        m_header.m_length = 0;
        m_header.m_lengthFieldSize = 2; // patched in Finish(); covers packets < 16384 bytes
    }
    size_t start = datagram.size();
    QuicBufferWriter w(datagram);
    if (!QuicEncodeHeader(m_header, w, &m_layout))
    {
        datagram.resize(start);
        return false;
    }
    size_t headerLength = datagram.size() - start;
    if (headerLength + MIN_PN_AND_PAYLOAD + QUIC_AEAD_TAG_LENGTH > maxPacketSize ||
        maxPacketSize > 16383)
    {
        datagram.resize(start);
        return false;
    }
    m_datagram = &datagram;
    m_packetNumber = packetNumber;
    m_limit = start + maxPacketSize - QUIC_AEAD_TAG_LENGTH;
    m_open = true;
    return true;
}

size_t
QuicPacketBuilder::Remaining() const
{
    if (!m_open || m_datagram->size() >= m_limit)
    {
        return 0;
    }
    return m_limit - m_datagram->size();
}

size_t
QuicPacketBuilder::PayloadLength() const
{
    if (!m_open)
    {
        return 0;
    }
    return m_datagram->size() - m_layout.m_packetStart - m_layout.m_pnOffset - m_header.m_pnLength;
}

bool
QuicPacketBuilder::AddFrame(const QuicFrame& frame)
{
    if (!m_open)
    {
        return false;
    }
    size_t size = QuicFrameEncodedSize(frame);
    if (size == 0 || size > Remaining())
    {
        return false;
    }
    QuicBufferWriter w(*m_datagram);
    return QuicEncodeFrame(w, frame);
}

void
QuicPacketBuilder::PadDatagramTo(size_t datagramSize)
{
    if (!m_open)
    {
        return;
    }
    size_t withTag = m_datagram->size() + QUIC_AEAD_TAG_LENGTH;
    if (withTag >= datagramSize)
    {
        return;
    }
    size_t pad = datagramSize - withTag;
    if (pad > Remaining())
    {
        pad = Remaining();
    }
    // PADDING frames are single zero bytes (RFC 9000 §19.1).
    m_datagram->resize(m_datagram->size() + pad, 0);
}

QuicBufferWriter
QuicPacketBuilder::Writer()
{
    // Only meaningful between Begin() and Finish(); m_datagram is set by Begin().
    return QuicBufferWriter(*m_datagram);
}

bool
QuicPacketBuilder::Finish(QuicPacketProtector& sealer)
{
    if (!m_open)
    {
        return false;
    }
    m_open = false;
    size_t start = m_layout.m_packetStart;
    size_t pnAndPayload = m_datagram->size() - start - m_layout.m_pnOffset;
    if (pnAndPayload < MIN_PN_AND_PAYLOAD)
    {
        m_datagram->resize(m_datagram->size() + (MIN_PN_AND_PAYLOAD - pnAndPayload), 0);
        pnAndPayload = MIN_PN_AND_PAYLOAD;
    }
    if (m_header.HasLengthField() &&
        !QuicPatchLengthField(*m_datagram, m_layout, pnAndPayload + QUIC_AEAD_TAG_LENGTH))
    {
        m_datagram->resize(start);
        return false;
    }
    size_t packetLength = m_datagram->size() - start;
    m_datagram->resize(m_datagram->size() + QUIC_AEAD_TAG_LENGTH);
    if (!sealer.Protect(m_packetNumber,
                        m_datagram->data() + start,
                        m_layout.m_pnOffset,
                        packetLength,
                        packetLength + QUIC_AEAD_TAG_LENGTH))
    {
        m_datagram->resize(start);
        return false;
    }
    return true;
}

const QuicPacketHeader&
QuicPacketBuilder::Header() const
{
    return m_header;
}

size_t
QuicPacketBuilder::PacketStart() const
{
    return m_layout.m_packetStart;
}

} // namespace ns3
