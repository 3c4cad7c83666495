/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-packet-header.h"

#include "quic-varint.h"

#include <cstring>

namespace
{

/// Header Form bit of the first byte (RFC 9000 §17.2).
constexpr uint8_t HEADER_FORM_BIT = 0x80;
/// Fixed Bit of the first byte (RFC 9000 §17.2, §17.3.1).
constexpr uint8_t FIXED_BIT = 0x40;
/// Spin bit of a short header (RFC 9000 §17.3.1).
constexpr uint8_t SPIN_BIT = 0x20;
/// Key Phase bit of a short header (RFC 9000 §17.3.1).
constexpr uint8_t KEY_PHASE_BIT = 0x04;
/// Packet Number Length bits (RFC 9000 §17.2, §17.3.1).
constexpr uint8_t PN_LENGTH_MASK = 0x03;
/// Largest connection ID length in QUIC version 1 (RFC 9000 §17.2).
constexpr size_t MAX_V1_CID_LENGTH = 20;

/**
 * Read a length-prefixed connection ID (8-bit length, RFC 9000 §17.2) into views and, when it
 * is at most 20 bytes, into a QuicConnectionId.
 * \param r the reader
 * \param maxLength largest length accepted (20 for v1, 255 otherwise)
 * \param cid receives the copy (left empty above 20 bytes)
 * \param view receives a pointer to the bytes
 * \param length receives the length
 * \return OK, TRUNCATED or CID_TOO_LONG
 */
ns3::QuicHeaderStatus
ReadLongHeaderCid(ns3::QuicBufferReader& r,
                  size_t maxLength,
                  ns3::QuicConnectionId& cid,
                  const uint8_t*& view,
                  size_t& length)
{
    uint8_t len;
    if (!r.ReadU8(len))
    {
        return ns3::QuicHeaderStatus::TRUNCATED;
    }
    if (len > maxLength)
    {
        return ns3::QuicHeaderStatus::CID_TOO_LONG;
    }
    const uint8_t* p = nullptr;
    if (!r.ReadSpan(p, len))
    {
        return ns3::QuicHeaderStatus::TRUNCATED;
    }
    view = p;
    length = len;
    if (len <= ns3::QuicConnectionId::MAX_LENGTH)
    {
        cid.Set(p, len);
    }
    return ns3::QuicHeaderStatus::OK;
}

/**
 * \param type a long-header packet type
 * \return its two-bit Long Packet Type value (RFC 9000 §17.2, Table 5)
 */
uint8_t
LongTypeBits(ns3::QuicPacketType type)
{
    switch (type)
    {
    case ns3::QuicPacketType::INITIAL:
        return 0x0;
    case ns3::QuicPacketType::ZERO_RTT:
        return 0x1;
    case ns3::QuicPacketType::HANDSHAKE:
        return 0x2;
    default:
        return 0x3;
    }
}

/**
 * \param size a Length-field size given by the caller
 * \return true for 0 (minimal) and the varint sizes 1, 2, 4, 8
 */
bool
IsValidVarintFieldSize(size_t size)
{
    return size == 0 || size == 1 || size == 2 || size == 4 || size == 8;
}

} // namespace

namespace ns3
{

const char*
QuicPacketTypeName(QuicPacketType type)
{
    switch (type)
    {
    case QuicPacketType::INITIAL:
        return "Initial";
    case QuicPacketType::ZERO_RTT:
        return "0-RTT";
    case QuicPacketType::HANDSHAKE:
        return "Handshake";
    case QuicPacketType::RETRY:
        return "Retry";
    case QuicPacketType::VERSION_NEGOTIATION:
        return "VersionNegotiation";
    case QuicPacketType::ONE_RTT:
        return "1-RTT";
    }
    return "Unknown";
}

std::ostream&
operator<<(std::ostream& os, QuicPacketType type)
{
    return os << QuicPacketTypeName(type);
}

const char*
QuicHeaderStatusName(QuicHeaderStatus status)
{
    switch (status)
    {
    case QuicHeaderStatus::OK:
        return "OK";
    case QuicHeaderStatus::TRUNCATED:
        return "TRUNCATED";
    case QuicHeaderStatus::FIXED_BIT_CLEARED:
        return "FIXED_BIT_CLEARED";
    case QuicHeaderStatus::CID_TOO_LONG:
        return "CID_TOO_LONG";
    case QuicHeaderStatus::UNSUPPORTED_VERSION:
        return "UNSUPPORTED_VERSION";
    case QuicHeaderStatus::LENGTH_PAST_END:
        return "LENGTH_PAST_END";
    case QuicHeaderStatus::INVALID_VERSION_LIST:
        return "INVALID_VERSION_LIST";
    case QuicHeaderStatus::RESERVED_BITS_SET:
        return "RESERVED_BITS_SET";
    case QuicHeaderStatus::NO_PACKET_NUMBER:
        return "NO_PACKET_NUMBER";
    case QuicHeaderStatus::INVALID_ARGUMENT:
        return "INVALID_ARGUMENT";
    }
    return "UNKNOWN";
}

std::ostream&
operator<<(std::ostream& os, QuicHeaderStatus status)
{
    return os << QuicHeaderStatusName(status);
}

QuicTransportError
QuicHeaderStatusToTransportError(QuicHeaderStatus status)
{
    return status == QuicHeaderStatus::RESERVED_BITS_SET ? QuicTransportError::PROTOCOL_VIOLATION
                                                         : QuicTransportError::NO_ERROR;
}

uint32_t
QuicPacketHeader::GetSupportedVersion(size_t i) const
{
    if (i >= m_supportedVersionCount || m_supportedVersions == nullptr)
    {
        return 0;
    }
    const uint8_t* p = m_supportedVersions + 4 * i;
    return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

QuicHeaderStatus
QuicParseHeader(const uint8_t* data,
                size_t size,
                size_t shortHeaderDcidLength,
                QuicPacketHeader& out)
{
    out = QuicPacketHeader{};
    out.m_lengthFieldSize = 0;
    out.m_pnLength = 0; // known after stage 2
    if (shortHeaderDcidLength > MAX_V1_CID_LENGTH)
    {
        return QuicHeaderStatus::INVALID_ARGUMENT;
    }
    if (data == nullptr)
    {
        size = 0;
    }
    QuicBufferReader r(data, size);
    uint8_t first;
    if (!r.ReadU8(first))
    {
        return QuicHeaderStatus::TRUNCATED;
    }

    if (!QuicIsLongHeader(first))
    {
        // Short header (RFC 9000 §17.3.1).
        out.m_type = QuicPacketType::ONE_RTT;
        if ((first & FIXED_BIT) == 0)
        {
            return QuicHeaderStatus::FIXED_BIT_CLEARED;
        }
        out.m_spinBit = (first & SPIN_BIT) != 0;
        const uint8_t* p = nullptr;
        if (!r.ReadSpan(p, shortHeaderDcidLength))
        {
            return QuicHeaderStatus::TRUNCATED;
        }
        out.m_dcid.Set(p, shortHeaderDcidLength);
        out.m_dcidBytes = p;
        out.m_dcidLength = shortHeaderDcidLength;
        out.m_pnOffset = r.Position();
        out.m_packetLength = size;
        return QuicHeaderStatus::OK;
    }

    // Long header (RFC 9000 §17.2). Version and CIDs are version-independent (RFC 8999).
    uint32_t version;
    if (!r.ReadU32(version))
    {
        return QuicHeaderStatus::TRUNCATED;
    }
    out.m_version = version;
    const bool isV1 = version == QUIC_VERSION_1;
    if (isV1 && (first & FIXED_BIT) == 0)
    {
        return QuicHeaderStatus::FIXED_BIT_CLEARED;
    }
    const size_t maxCid = isV1 ? MAX_V1_CID_LENGTH : 255;
    QuicHeaderStatus st =
        ReadLongHeaderCid(r, maxCid, out.m_dcid, out.m_dcidBytes, out.m_dcidLength);
    if (st != QuicHeaderStatus::OK)
    {
        return st;
    }
    st = ReadLongHeaderCid(r, maxCid, out.m_scid, out.m_scidBytes, out.m_scidLength);
    if (st != QuicHeaderStatus::OK)
    {
        return st;
    }

    if (version == QUIC_VERSION_NEGOTIATION)
    {
        // RFC 9000 §17.2.1: the fixed bit is arbitrary; the rest is a list of 32-bit versions.
        out.m_type = QuicPacketType::VERSION_NEGOTIATION;
        out.m_unusedBits = first & 0x7f;
        out.m_packetLength = size;
        if (r.Remaining() % 4 != 0)
        {
            return QuicHeaderStatus::INVALID_VERSION_LIST;
        }
        out.m_supportedVersions = r.Remaining() > 0 ? r.Current() : nullptr;
        out.m_supportedVersionCount = r.Remaining() / 4;
        return QuicHeaderStatus::OK;
    }
    if (!isV1)
    {
        return QuicHeaderStatus::UNSUPPORTED_VERSION;
    }

    switch ((first >> 4) & 0x03)
    {
    case 0x0:
        out.m_type = QuicPacketType::INITIAL;
        break;
    case 0x1:
        out.m_type = QuicPacketType::ZERO_RTT;
        break;
    case 0x2:
        out.m_type = QuicPacketType::HANDSHAKE;
        break;
    default:
        out.m_type = QuicPacketType::RETRY;
        break;
    }

    if (out.m_type == QuicPacketType::RETRY)
    {
        // RFC 9000 §17.2.5: Retry Token (the rest) then a 16-byte Retry Integrity Tag.
        out.m_unusedBits = first & 0x0f;
        if (r.Remaining() < QuicPacketHeader::RETRY_TAG_LENGTH)
        {
            return QuicHeaderStatus::TRUNCATED;
        }
        out.m_tokenLength = r.Remaining() - QuicPacketHeader::RETRY_TAG_LENGTH;
        out.m_token = out.m_tokenLength > 0 ? r.Current() : nullptr;
        r.Skip(out.m_tokenLength);
        r.ReadBytes(out.m_retryIntegrityTag, QuicPacketHeader::RETRY_TAG_LENGTH);
        out.m_packetLength = size;
        return QuicHeaderStatus::OK;
    }

    if (out.m_type == QuicPacketType::INITIAL)
    {
        // RFC 9000 §17.2.2: Token Length (i), Token.
        uint64_t tokenLength;
        if (!r.ReadVarint(tokenLength))
        {
            return QuicHeaderStatus::TRUNCATED;
        }
        if (tokenLength > r.Remaining())
        {
            return QuicHeaderStatus::TRUNCATED;
        }
        const uint8_t* token = nullptr;
        r.ReadSpan(token, static_cast<size_t>(tokenLength));
        out.m_tokenLength = static_cast<size_t>(tokenLength);
        out.m_token = tokenLength > 0 ? token : nullptr;
    }

    uint64_t length;
    size_t lengthFieldSize;
    if (!r.ReadVarint(length, lengthFieldSize))
    {
        return QuicHeaderStatus::TRUNCATED;
    }
    out.m_length = length;
    out.m_lengthFieldSize = lengthFieldSize;
    out.m_pnOffset = r.Position();
    if (length > r.Remaining())
    {
        return QuicHeaderStatus::LENGTH_PAST_END;
    }
    out.m_packetLength = out.m_pnOffset + static_cast<size_t>(length);
    return QuicHeaderStatus::OK;
}

QuicHeaderStatus
QuicParseHeaderProtectedFields(const uint8_t* data, size_t size, QuicPacketHeader& header)
{
    if (!header.HasPacketNumber())
    {
        return QuicHeaderStatus::NO_PACKET_NUMBER;
    }
    if (data == nullptr || size == 0)
    {
        return QuicHeaderStatus::TRUNCATED;
    }
    const uint8_t first = data[0];
    if (QuicIsLongHeader(first) != header.IsLongHeader())
    {
        return QuicHeaderStatus::INVALID_ARGUMENT;
    }
    const size_t pnLength = (first & PN_LENGTH_MASK) + 1;
    const size_t end = header.m_packetLength < size ? header.m_packetLength : size;
    if (header.m_pnOffset > end || end - header.m_pnOffset < pnLength)
    {
        return QuicHeaderStatus::TRUNCATED;
    }
    uint64_t pn = 0;
    for (size_t i = 0; i < pnLength; ++i)
    {
        pn = (pn << 8) | data[header.m_pnOffset + i];
    }
    uint8_t reserved;
    if (header.IsLongHeader())
    {
        reserved = (first >> 2) & 0x03;
    }
    else
    {
        reserved = (first >> 3) & 0x03;
        header.m_keyPhase = (first & KEY_PHASE_BIT) != 0;
    }
    header.m_pnLength = pnLength;
    header.m_truncatedPn = pn;
    header.m_reservedBits = reserved;
    return reserved != 0 ? QuicHeaderStatus::RESERVED_BITS_SET : QuicHeaderStatus::OK;
}

QuicHeaderStatus
QuicPeekDestinationCid(const uint8_t* data,
                       size_t size,
                       size_t shortHeaderDcidLength,
                       bool& isLongHeader,
                       uint32_t& version,
                       QuicConnectionId& dcid)
{
    if (shortHeaderDcidLength > MAX_V1_CID_LENGTH)
    {
        return QuicHeaderStatus::INVALID_ARGUMENT;
    }
    if (data == nullptr || size == 0)
    {
        return QuicHeaderStatus::TRUNCATED;
    }
    if (!QuicIsLongHeader(data[0]))
    {
        if (size < 1 + shortHeaderDcidLength)
        {
            return QuicHeaderStatus::TRUNCATED;
        }
        isLongHeader = false;
        version = 0;
        dcid.Set(data + 1, shortHeaderDcidLength);
        return QuicHeaderStatus::OK;
    }
    if (size < 6)
    {
        return QuicHeaderStatus::TRUNCATED;
    }
    isLongHeader = true;
    version =
        (uint32_t{data[1]} << 24) | (uint32_t{data[2]} << 16) | (uint32_t{data[3]} << 8) | data[4];
    const size_t len = data[5];
    if (len > QuicConnectionId::MAX_LENGTH)
    {
        return QuicHeaderStatus::CID_TOO_LONG;
    }
    if (size - 6 < len)
    {
        return QuicHeaderStatus::TRUNCATED;
    }
    dcid.Set(data + 6, len);
    return QuicHeaderStatus::OK;
}

bool
QuicEncodeHeader(const QuicPacketHeader& header, QuicBufferWriter& writer, QuicHeaderLayout* layout)
{
    const QuicPacketType type = header.m_type;
    const bool hasPn = type == QuicPacketType::INITIAL || type == QuicPacketType::ZERO_RTT ||
                       type == QuicPacketType::HANDSHAKE || type == QuicPacketType::ONE_RTT;
    const bool hasToken = type == QuicPacketType::INITIAL || type == QuicPacketType::RETRY;

    // Validate everything before writing anything.
    if (!hasPn && type != QuicPacketType::RETRY && type != QuicPacketType::VERSION_NEGOTIATION)
    {
        return false; // not a member of the enumeration
    }
    if (hasPn && (header.m_pnLength < 1 || header.m_pnLength > 4 || header.m_reservedBits > 3))
    {
        return false;
    }
    if (header.m_tokenLength > 0 && (!hasToken || header.m_token == nullptr))
    {
        return false;
    }
    if (header.m_tokenLength > QUIC_VARINT_MAX)
    {
        return false;
    }
    if (type == QuicPacketType::VERSION_NEGOTIATION && header.m_supportedVersionCount > 0 &&
        header.m_supportedVersions == nullptr)
    {
        return false;
    }
    size_t lengthFieldSize = 0;
    if (header.HasLengthField())
    {
        const size_t minimal = QuicVarintSize(header.m_length);
        if (minimal == 0 || !IsValidVarintFieldSize(header.m_lengthFieldSize) ||
            (header.m_lengthFieldSize != 0 && header.m_lengthFieldSize < minimal))
        {
            return false;
        }
        lengthFieldSize = header.m_lengthFieldSize != 0 ? header.m_lengthFieldSize : minimal;
    }

    QuicHeaderLayout lay;
    lay.m_packetStart = writer.Size();
    const auto offset = [&writer, &lay]() { return writer.Size() - lay.m_packetStart; };

    if (type == QuicPacketType::ONE_RTT)
    {
        // RFC 9000 §17.3.1.
        uint8_t first = FIXED_BIT | static_cast<uint8_t>(header.m_reservedBits << 3) |
                        static_cast<uint8_t>(header.m_pnLength - 1);
        if (header.m_spinBit)
        {
            first |= SPIN_BIT;
        }
        if (header.m_keyPhase)
        {
            first |= KEY_PHASE_BIT;
        }
        writer.WriteU8(first);
        writer.WriteBytes(header.m_dcid.Data(), header.m_dcid.Length());
    }
    else
    {
        // RFC 9000 §17.2.
        uint8_t first;
        uint32_t version = header.m_version;
        if (type == QuicPacketType::VERSION_NEGOTIATION)
        {
            first = HEADER_FORM_BIT | (header.m_unusedBits & 0x7f);
            version = QUIC_VERSION_NEGOTIATION;
        }
        else if (type == QuicPacketType::RETRY)
        {
            first = HEADER_FORM_BIT | FIXED_BIT | (LongTypeBits(type) << 4) |
                    (header.m_unusedBits & 0x0f);
        }
        else
        {
            first = HEADER_FORM_BIT | FIXED_BIT | static_cast<uint8_t>(LongTypeBits(type) << 4) |
                    static_cast<uint8_t>(header.m_reservedBits << 2) |
                    static_cast<uint8_t>(header.m_pnLength - 1);
        }
        writer.WriteU8(first);
        writer.WriteU32(version);
        writer.WriteU8(static_cast<uint8_t>(header.m_dcid.Length()));
        writer.WriteBytes(header.m_dcid.Data(), header.m_dcid.Length());
        writer.WriteU8(static_cast<uint8_t>(header.m_scid.Length()));
        writer.WriteBytes(header.m_scid.Data(), header.m_scid.Length());

        if (type == QuicPacketType::VERSION_NEGOTIATION)
        {
            writer.WriteBytes(header.m_supportedVersions, 4 * header.m_supportedVersionCount);
        }
        else if (type == QuicPacketType::RETRY)
        {
            writer.WriteBytes(header.m_token, header.m_tokenLength);
            lay.m_retryTagOffset = offset();
            writer.WriteBytes(header.m_retryIntegrityTag, QuicPacketHeader::RETRY_TAG_LENGTH);
        }
        else
        {
            if (type == QuicPacketType::INITIAL)
            {
                writer.WriteVarint(header.m_tokenLength);
                writer.WriteBytes(header.m_token, header.m_tokenLength);
            }
            lay.m_lengthOffset = offset();
            lay.m_lengthFieldSize = lengthFieldSize;
            writer.WriteVarintWithLength(header.m_length, lengthFieldSize);
        }
    }

    if (hasPn)
    {
        lay.m_pnOffset = offset();
        // WriteUintN() writes the low m_pnLength bytes: a full packet number is truncated here.
        writer.WriteUintN(header.m_truncatedPn, header.m_pnLength);
    }
    lay.m_headerLength = offset();
    if (layout != nullptr)
    {
        *layout = lay;
    }
    return true;
}

bool
QuicEncodeVersionNegotiation(const uint8_t* dcid,
                             size_t dcidLength,
                             const uint8_t* scid,
                             size_t scidLength,
                             const uint32_t* versions,
                             size_t versionCount,
                             uint8_t unusedBits,
                             QuicBufferWriter& writer)
{
    if (dcidLength > 255 || scidLength > 255 || (dcidLength > 0 && dcid == nullptr) ||
        (scidLength > 0 && scid == nullptr) || (versionCount > 0 && versions == nullptr))
    {
        return false;
    }
    writer.WriteU8(HEADER_FORM_BIT | (unusedBits & 0x7f));
    writer.WriteU32(QUIC_VERSION_NEGOTIATION);
    writer.WriteU8(static_cast<uint8_t>(dcidLength));
    writer.WriteBytes(dcid, dcidLength);
    writer.WriteU8(static_cast<uint8_t>(scidLength));
    writer.WriteBytes(scid, scidLength);
    for (size_t i = 0; i < versionCount; ++i)
    {
        writer.WriteU32(versions[i]);
    }
    return true;
}

bool
QuicPatchLengthField(std::vector<uint8_t>& buffer, const QuicHeaderLayout& layout, uint64_t length)
{
    if (layout.m_lengthFieldSize == 0 || layout.m_lengthOffset == 0)
    {
        return false;
    }
    const size_t start = layout.m_packetStart + layout.m_lengthOffset;
    if (start < layout.m_packetStart || start > buffer.size() ||
        buffer.size() - start < layout.m_lengthFieldSize)
    {
        return false;
    }
    return QuicVarintEncodeWithLength(length,
                                      layout.m_lengthFieldSize,
                                      buffer.data() + start,
                                      layout.m_lengthFieldSize) != 0;
}

} // namespace ns3
