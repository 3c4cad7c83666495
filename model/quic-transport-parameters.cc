/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-transport-parameters.h"

#include "ns3/log.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace
{

/// How the value of an RFC 9000 transport parameter is encoded (§18.2).
enum class TpKind
{
    INTEGER,           ///< one varint filling the whole Length
    CONNECTION_ID,     ///< raw connection ID bytes, 0..20
    TOKEN,             ///< exactly 16 bytes
    FLAG,              ///< zero-length value
    PREFERRED_ADDRESS, ///< 41 + CID length bytes
};

/// Static description of one RFC 9000 transport parameter.
struct TpInfo
{
    const char* name;      ///< §18.2 name
    TpKind kind;           ///< value encoding
    bool serverOnly;       ///< a client must not send it (§18.2, TP-03)
    uint64_t defaultValue; ///< default of an integer parameter when absent
};

/// The parameters of RFC 9000 §18.2, indexed by identifier.
constexpr TpInfo TP_INFO[] = {
    {"original_destination_connection_id", TpKind::CONNECTION_ID, true, 0},
    {"max_idle_timeout", TpKind::INTEGER, false, 0},
    {"stateless_reset_token", TpKind::TOKEN, true, 0},
    {"max_udp_payload_size",
     TpKind::INTEGER,
     false,
     ns3::QuicTransportParameters::DEFAULT_MAX_UDP_PAYLOAD_SIZE},
    {"initial_max_data", TpKind::INTEGER, false, 0},
    {"initial_max_stream_data_bidi_local", TpKind::INTEGER, false, 0},
    {"initial_max_stream_data_bidi_remote", TpKind::INTEGER, false, 0},
    {"initial_max_stream_data_uni", TpKind::INTEGER, false, 0},
    {"initial_max_streams_bidi", TpKind::INTEGER, false, 0},
    {"initial_max_streams_uni", TpKind::INTEGER, false, 0},
    {"ack_delay_exponent",
     TpKind::INTEGER,
     false,
     ns3::QuicTransportParameters::DEFAULT_ACK_DELAY_EXPONENT},
    {"max_ack_delay", TpKind::INTEGER, false, ns3::QuicTransportParameters::DEFAULT_MAX_ACK_DELAY},
    {"disable_active_migration", TpKind::FLAG, false, 0},
    {"preferred_address", TpKind::PREFERRED_ADDRESS, true, 0},
    {"active_connection_id_limit",
     TpKind::INTEGER,
     false,
     ns3::QuicTransportParameters::DEFAULT_ACTIVE_CONNECTION_ID_LIMIT},
    {"initial_source_connection_id", TpKind::CONNECTION_ID, false, 0},
    {"retry_source_connection_id", TpKind::CONNECTION_ID, true, 0},
};

static_assert(sizeof(TP_INFO) / sizeof(TP_INFO[0]) == 0x11, "one entry per RFC 9000 parameter");

/**
 * \param id an identifier
 * \return its static description, or null for identifiers RFC 9000 does not define
 */
const TpInfo*
Info(uint64_t id)
{
    return id < sizeof(TP_INFO) / sizeof(TP_INFO[0]) ? &TP_INFO[id] : nullptr;
}

/**
 * \param v a value
 * \return "0x" followed by lower-case hex digits
 */
std::string
Hex(uint64_t v)
{
    char buf[24];
    std::snprintf(buf, sizeof(buf), "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

/**
 * \brief Check the value of an integer parameter against its §18.2 / §4.6 range.
 * \param id the identifier
 * \param value the value
 * \param reason receives the explanation on failure
 * \return true if valid
 */
bool
CheckInteger(ns3::QuicTransportParameterId id, uint64_t value, std::string& reason)
{
    using Id = ns3::QuicTransportParameterId;
    using Tp = ns3::QuicTransportParameters;
    std::ostringstream os;
    switch (id)
    {
    case Id::MAX_UDP_PAYLOAD_SIZE:
        if (value < Tp::MIN_MAX_UDP_PAYLOAD_SIZE)
        {
            os << "max_udp_payload_size " << value << " is below 1200";
        }
        break;
    case Id::ACK_DELAY_EXPONENT:
        if (value > Tp::MAX_ACK_DELAY_EXPONENT)
        {
            os << "ack_delay_exponent " << value << " is above 20";
        }
        break;
    case Id::MAX_ACK_DELAY:
        if (value >= Tp::MAX_ACK_DELAY_LIMIT)
        {
            os << "max_ack_delay " << value << " is not below 2^14";
        }
        break;
    case Id::INITIAL_MAX_STREAMS_BIDI:
    case Id::INITIAL_MAX_STREAMS_UNI:
        if (value > Tp::MAX_STREAMS_LIMIT)
        {
            os << TP_INFO[static_cast<uint64_t>(id)].name << " " << value << " is above 2^60";
        }
        break;
    case Id::ACTIVE_CONNECTION_ID_LIMIT:
        if (value < Tp::DEFAULT_ACTIVE_CONNECTION_ID_LIMIT)
        {
            os << "active_connection_id_limit " << value << " is below 2";
        }
        break;
    default:
        break;
    }
    reason = os.str();
    return reason.empty();
}

/**
 * \brief Fill in the failure detail and return TRANSPORT_PARAMETER_ERROR.
 * \param error the detail to fill (may be null)
 * \param offset offset of the offending parameter in the block
 * \param hasId whether id is known
 * \param id the offending identifier
 * \param reason the explanation
 * \return TRANSPORT_PARAMETER_ERROR
 */
ns3::QuicTransportError
Fail(ns3::QuicTransportParameterError* error,
     size_t offset,
     bool hasId,
     uint64_t id,
     const std::string& reason)
{
    if (error != nullptr)
    {
        error->code = ns3::QuicTransportError::TRANSPORT_PARAMETER_ERROR;
        error->hasParameterId = hasId;
        error->parameterId = hasId ? id : 0;
        error->offset = offset;
        error->reason = reason;
    }
    return ns3::QuicTransportError::TRANSPORT_PARAMETER_ERROR;
}

/**
 * \brief Mark success in the failure detail.
 * \param error the detail (may be null)
 * \return NO_ERROR
 */
ns3::QuicTransportError
Succeed(ns3::QuicTransportParameterError* error)
{
    if (error != nullptr)
    {
        *error = ns3::QuicTransportParameterError();
    }
    return ns3::QuicTransportError::NO_ERROR;
}

/**
 * \param bytes bytes
 * \param n count
 * \return lower-case hex
 */
std::string
BytesHex(const uint8_t* bytes, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    std::string s;
    s.reserve(2 * n);
    for (size_t i = 0; i < n; ++i)
    {
        s.push_back(digits[bytes[i] >> 4]);
        s.push_back(digits[bytes[i] & 0x0f]);
    }
    return s;
}

} // namespace

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicTransportParameters");

std::string
QuicTransportParameterName(uint64_t id)
{
    if (const TpInfo* info = Info(id))
    {
        return info->name;
    }
    if (QuicTransportParameters::IsReservedId(id))
    {
        return "reserved(" + Hex(id) + ")";
    }
    return "unknown(" + Hex(id) + ")";
}

std::string
QuicTransportParameterName(QuicTransportParameterId id)
{
    return QuicTransportParameterName(static_cast<uint64_t>(id));
}

// ---------------------------------------------------------------------------
// QuicPreferredAddress
// ---------------------------------------------------------------------------

void
QuicPreferredAddress::SetIpv4(const Ipv4Address& address, uint16_t port)
{
    address.Serialize(ipv4Address.data());
    ipv4Port = port;
}

Ipv4Address
QuicPreferredAddress::GetIpv4Address() const
{
    return Ipv4Address::Deserialize(ipv4Address.data());
}

InetSocketAddress
QuicPreferredAddress::GetIpv4SocketAddress() const
{
    return InetSocketAddress(GetIpv4Address(), ipv4Port);
}

bool
QuicPreferredAddress::HasIpv4() const
{
    bool zeroAddress = ipv4Address == std::array<uint8_t, 4>{};
    return !zeroAddress && ipv4Port != 0;
}

void
QuicPreferredAddress::SetIpv6(const Ipv6Address& address, uint16_t port)
{
    address.Serialize(ipv6Address.data());
    ipv6Port = port;
}

Ipv6Address
QuicPreferredAddress::GetIpv6Address() const
{
    return Ipv6Address::Deserialize(ipv6Address.data());
}

Inet6SocketAddress
QuicPreferredAddress::GetIpv6SocketAddress() const
{
    return Inet6SocketAddress(GetIpv6Address(), ipv6Port);
}

bool
QuicPreferredAddress::HasIpv6() const
{
    bool zeroAddress = ipv6Address == std::array<uint8_t, 16>{};
    return !zeroAddress && ipv6Port != 0;
}

size_t
QuicPreferredAddress::GetEncodedLength() const
{
    return FIXED_LENGTH + connectionId.Length();
}

void
QuicPreferredAddress::Encode(QuicBufferWriter& writer) const
{
    writer.WriteBytes(ipv4Address.data(), ipv4Address.size());
    writer.WriteU16(ipv4Port);
    writer.WriteBytes(ipv6Address.data(), ipv6Address.size());
    writer.WriteU16(ipv6Port);
    writer.WriteU8(static_cast<uint8_t>(connectionId.Length()));
    writer.WriteBytes(connectionId.Data(), connectionId.Length());
    writer.WriteBytes(statelessResetToken.data(), statelessResetToken.size());
}

QuicTransportError
QuicPreferredAddress::Decode(const uint8_t* data,
                             size_t size,
                             QuicPreferredAddress& out,
                             std::string* reason)
{
    std::ostringstream why;
    QuicPreferredAddress pa;
    QuicBufferReader r(data, size);
    uint8_t cidLength = 0;
    if (size < FIXED_LENGTH)
    {
        why << "preferred_address: length " << size << " is shorter than 41";
    }
    else if (!r.ReadBytes(pa.ipv4Address.data(), pa.ipv4Address.size()) ||
             !r.ReadU16(pa.ipv4Port) ||
             !r.ReadBytes(pa.ipv6Address.data(), pa.ipv6Address.size()) ||
             !r.ReadU16(pa.ipv6Port) || !r.ReadU8(cidLength))
    {
        why << "preferred_address: truncated"; // unreachable: size >= 41
    }
    else if (cidLength > QuicConnectionId::MAX_LENGTH)
    {
        why << "preferred_address: connection ID length " << unsigned{cidLength} << " exceeds 20";
    }
    else if (size != FIXED_LENGTH + cidLength)
    {
        why << "preferred_address: length " << size << ", expected 41 + " << unsigned{cidLength}
            << " = " << FIXED_LENGTH + cidLength;
    }
    else if (cidLength == 0)
    {
        why << "preferred_address with a zero-length connection ID (PA-02)";
    }
    else
    {
        const uint8_t* cid = nullptr;
        if (!r.ReadSpan(cid, cidLength) || !pa.connectionId.Set(cid, cidLength) ||
            !r.ReadBytes(pa.statelessResetToken.data(), pa.statelessResetToken.size()) ||
            !r.AtEnd())
        {
            why << "preferred_address: truncated"; // unreachable: length checked above
        }
    }
    std::string s = why.str();
    if (!s.empty())
    {
        if (reason != nullptr)
        {
            *reason = s;
        }
        return QuicTransportError::TRANSPORT_PARAMETER_ERROR;
    }
    out = pa;
    return QuicTransportError::NO_ERROR;
}

bool
QuicPreferredAddress::operator==(const QuicPreferredAddress& o) const
{
    return ipv4Address == o.ipv4Address && ipv4Port == o.ipv4Port && ipv6Address == o.ipv6Address &&
           ipv6Port == o.ipv6Port && connectionId == o.connectionId &&
           statelessResetToken == o.statelessResetToken;
}

std::ostream&
operator<<(std::ostream& os, const QuicPreferredAddress& pa)
{
    os << "v4=";
    if (pa.HasIpv4())
    {
        os << pa.GetIpv4Address() << ":" << pa.ipv4Port;
    }
    else
    {
        os << "-";
    }
    os << " v6=";
    if (pa.HasIpv6())
    {
        os << "[" << pa.GetIpv6Address() << "]:" << pa.ipv6Port;
    }
    else
    {
        os << "-";
    }
    os << " cid=" << pa.connectionId
       << " token=" << BytesHex(pa.statelessResetToken.data(), pa.statelessResetToken.size());
    return os;
}

// ---------------------------------------------------------------------------
// QuicTransportParameters
// ---------------------------------------------------------------------------

QuicTransportParameters::QuicTransportParameters()
    : m_present(0),
      m_statelessResetToken{}
{
    for (size_t i = 0; i < KNOWN_COUNT; ++i)
    {
        m_integers[i] = TP_INFO[i].defaultValue;
    }
}

bool
QuicTransportParameters::IsReservedId(uint64_t id)
{
    return id >= 27 && (id - 27) % 31 == 0;
}

uint64_t
QuicTransportParameters::GetReservedId(uint64_t n)
{
    return n > MAX_RESERVED_N ? 27 : 31 * n + 27;
}

bool
QuicTransportParameters::Has(QuicTransportParameterId id) const
{
    return static_cast<uint64_t>(id) < KNOWN_COUNT && (m_present & Bit(id)) != 0;
}

void
QuicTransportParameters::Remove(QuicTransportParameterId id)
{
    uint64_t i = static_cast<uint64_t>(id);
    if (i >= KNOWN_COUNT)
    {
        return;
    }
    m_present &= ~Bit(id);
    m_integers[i] = TP_INFO[i].defaultValue;
    switch (id)
    {
    case QuicTransportParameterId::ORIGINAL_DESTINATION_CONNECTION_ID:
        m_originalDestinationCid = QuicConnectionId();
        break;
    case QuicTransportParameterId::STATELESS_RESET_TOKEN:
        m_statelessResetToken = StatelessResetToken{};
        break;
    case QuicTransportParameterId::PREFERRED_ADDRESS:
        m_preferredAddress = QuicPreferredAddress();
        break;
    case QuicTransportParameterId::INITIAL_SOURCE_CONNECTION_ID:
        m_initialSourceCid = QuicConnectionId();
        break;
    case QuicTransportParameterId::RETRY_SOURCE_CONNECTION_ID:
        m_retrySourceCid = QuicConnectionId();
        break;
    default:
        break;
    }
}

bool
QuicTransportParameters::SetInteger(QuicTransportParameterId id, uint64_t value)
{
    const TpInfo* info = Info(static_cast<uint64_t>(id));
    if (info == nullptr || info->kind != TpKind::INTEGER || value > QUIC_VARINT_MAX)
    {
        return false;
    }
    m_integers[static_cast<uint64_t>(id)] = value;
    m_present |= Bit(id);
    return true;
}

uint64_t
QuicTransportParameters::GetInteger(QuicTransportParameterId id) const
{
    const TpInfo* info = Info(static_cast<uint64_t>(id));
    if (info == nullptr || info->kind != TpKind::INTEGER)
    {
        return 0;
    }
    return m_integers[static_cast<uint64_t>(id)];
}

uint64_t
QuicTransportParameters::GetMaxIdleTimeout() const
{
    return GetInteger(QuicTransportParameterId::MAX_IDLE_TIMEOUT);
}

bool
QuicTransportParameters::SetMaxIdleTimeout(uint64_t ms)
{
    return SetInteger(QuicTransportParameterId::MAX_IDLE_TIMEOUT, ms);
}

uint64_t
QuicTransportParameters::GetMaxUdpPayloadSize() const
{
    return GetInteger(QuicTransportParameterId::MAX_UDP_PAYLOAD_SIZE);
}

bool
QuicTransportParameters::SetMaxUdpPayloadSize(uint64_t size)
{
    return SetInteger(QuicTransportParameterId::MAX_UDP_PAYLOAD_SIZE, size);
}

uint64_t
QuicTransportParameters::GetInitialMaxData() const
{
    return GetInteger(QuicTransportParameterId::INITIAL_MAX_DATA);
}

bool
QuicTransportParameters::SetInitialMaxData(uint64_t v)
{
    return SetInteger(QuicTransportParameterId::INITIAL_MAX_DATA, v);
}

uint64_t
QuicTransportParameters::GetInitialMaxStreamDataBidiLocal() const
{
    return GetInteger(QuicTransportParameterId::INITIAL_MAX_STREAM_DATA_BIDI_LOCAL);
}

bool
QuicTransportParameters::SetInitialMaxStreamDataBidiLocal(uint64_t v)
{
    return SetInteger(QuicTransportParameterId::INITIAL_MAX_STREAM_DATA_BIDI_LOCAL, v);
}

uint64_t
QuicTransportParameters::GetInitialMaxStreamDataBidiRemote() const
{
    return GetInteger(QuicTransportParameterId::INITIAL_MAX_STREAM_DATA_BIDI_REMOTE);
}

bool
QuicTransportParameters::SetInitialMaxStreamDataBidiRemote(uint64_t v)
{
    return SetInteger(QuicTransportParameterId::INITIAL_MAX_STREAM_DATA_BIDI_REMOTE, v);
}

uint64_t
QuicTransportParameters::GetInitialMaxStreamDataUni() const
{
    return GetInteger(QuicTransportParameterId::INITIAL_MAX_STREAM_DATA_UNI);
}

bool
QuicTransportParameters::SetInitialMaxStreamDataUni(uint64_t v)
{
    return SetInteger(QuicTransportParameterId::INITIAL_MAX_STREAM_DATA_UNI, v);
}

uint64_t
QuicTransportParameters::GetInitialMaxStreamsBidi() const
{
    return GetInteger(QuicTransportParameterId::INITIAL_MAX_STREAMS_BIDI);
}

bool
QuicTransportParameters::SetInitialMaxStreamsBidi(uint64_t v)
{
    return SetInteger(QuicTransportParameterId::INITIAL_MAX_STREAMS_BIDI, v);
}

uint64_t
QuicTransportParameters::GetInitialMaxStreamsUni() const
{
    return GetInteger(QuicTransportParameterId::INITIAL_MAX_STREAMS_UNI);
}

bool
QuicTransportParameters::SetInitialMaxStreamsUni(uint64_t v)
{
    return SetInteger(QuicTransportParameterId::INITIAL_MAX_STREAMS_UNI, v);
}

uint64_t
QuicTransportParameters::GetAckDelayExponent() const
{
    return GetInteger(QuicTransportParameterId::ACK_DELAY_EXPONENT);
}

bool
QuicTransportParameters::SetAckDelayExponent(uint64_t v)
{
    return SetInteger(QuicTransportParameterId::ACK_DELAY_EXPONENT, v);
}

uint64_t
QuicTransportParameters::GetMaxAckDelay() const
{
    return GetInteger(QuicTransportParameterId::MAX_ACK_DELAY);
}

bool
QuicTransportParameters::SetMaxAckDelay(uint64_t ms)
{
    return SetInteger(QuicTransportParameterId::MAX_ACK_DELAY, ms);
}

uint64_t
QuicTransportParameters::GetActiveConnectionIdLimit() const
{
    return GetInteger(QuicTransportParameterId::ACTIVE_CONNECTION_ID_LIMIT);
}

bool
QuicTransportParameters::SetActiveConnectionIdLimit(uint64_t v)
{
    return SetInteger(QuicTransportParameterId::ACTIVE_CONNECTION_ID_LIMIT, v);
}

bool
QuicTransportParameters::IsActiveMigrationDisabled() const
{
    return Has(QuicTransportParameterId::DISABLE_ACTIVE_MIGRATION);
}

void
QuicTransportParameters::SetDisableActiveMigration(bool disabled)
{
    if (disabled)
    {
        m_present |= Bit(QuicTransportParameterId::DISABLE_ACTIVE_MIGRATION);
    }
    else
    {
        Remove(QuicTransportParameterId::DISABLE_ACTIVE_MIGRATION);
    }
}

const QuicConnectionId&
QuicTransportParameters::GetOriginalDestinationConnectionId() const
{
    return m_originalDestinationCid;
}

void
QuicTransportParameters::SetOriginalDestinationConnectionId(const QuicConnectionId& cid)
{
    m_originalDestinationCid = cid;
    m_present |= Bit(QuicTransportParameterId::ORIGINAL_DESTINATION_CONNECTION_ID);
}

const QuicConnectionId&
QuicTransportParameters::GetInitialSourceConnectionId() const
{
    return m_initialSourceCid;
}

void
QuicTransportParameters::SetInitialSourceConnectionId(const QuicConnectionId& cid)
{
    m_initialSourceCid = cid;
    m_present |= Bit(QuicTransportParameterId::INITIAL_SOURCE_CONNECTION_ID);
}

const QuicConnectionId&
QuicTransportParameters::GetRetrySourceConnectionId() const
{
    return m_retrySourceCid;
}

void
QuicTransportParameters::SetRetrySourceConnectionId(const QuicConnectionId& cid)
{
    m_retrySourceCid = cid;
    m_present |= Bit(QuicTransportParameterId::RETRY_SOURCE_CONNECTION_ID);
}

const QuicTransportParameters::StatelessResetToken&
QuicTransportParameters::GetStatelessResetToken() const
{
    return m_statelessResetToken;
}

void
QuicTransportParameters::SetStatelessResetToken(const StatelessResetToken& token)
{
    m_statelessResetToken = token;
    m_present |= Bit(QuicTransportParameterId::STATELESS_RESET_TOKEN);
}

const QuicPreferredAddress&
QuicTransportParameters::GetPreferredAddress() const
{
    return m_preferredAddress;
}

void
QuicTransportParameters::SetPreferredAddress(const QuicPreferredAddress& pa)
{
    m_preferredAddress = pa;
    m_present |= Bit(QuicTransportParameterId::PREFERRED_ADDRESS);
}

void
QuicTransportParameters::EncodeOne(QuicBufferWriter& writer, QuicTransportParameterId id) const
{
    uint64_t i = static_cast<uint64_t>(id);
    const QuicConnectionId* cid = nullptr;
    writer.WriteVarint(i);
    switch (TP_INFO[i].kind)
    {
    case TpKind::INTEGER:
        // Setters keep values <= 2^62-1, so the varint always encodes.
        writer.WriteVarint(QuicVarintSize(m_integers[i]));
        writer.WriteVarint(m_integers[i]);
        return;
    case TpKind::FLAG:
        writer.WriteVarint(0);
        return;
    case TpKind::TOKEN:
        writer.WriteVarint(m_statelessResetToken.size());
        writer.WriteBytes(m_statelessResetToken.data(), m_statelessResetToken.size());
        return;
    case TpKind::PREFERRED_ADDRESS:
        writer.WriteVarint(m_preferredAddress.GetEncodedLength());
        m_preferredAddress.Encode(writer);
        return;
    case TpKind::CONNECTION_ID:
        cid = id == QuicTransportParameterId::ORIGINAL_DESTINATION_CONNECTION_ID
                  ? &m_originalDestinationCid
              : id == QuicTransportParameterId::INITIAL_SOURCE_CONNECTION_ID ? &m_initialSourceCid
                                                                             : &m_retrySourceCid;
        writer.WriteVarint(cid->Length());
        writer.WriteBytes(cid->Data(), cid->Length());
        return;
    }
}

void
QuicTransportParameters::Encode(QuicBufferWriter& writer) const
{
    for (uint64_t i = 0; i < KNOWN_COUNT; ++i)
    {
        auto id = static_cast<QuicTransportParameterId>(i);
        if (Has(id))
        {
            EncodeOne(writer, id);
        }
    }
}

bool
QuicTransportParameters::Encode(QuicBufferWriter& writer,
                                uint64_t greaseN,
                                const std::vector<uint8_t>& greaseValue) const
{
    if (greaseN > MAX_RESERVED_N)
    {
        return false;
    }
    writer.WriteVarint(GetReservedId(greaseN));
    writer.WriteVarint(greaseValue.size());
    writer.WriteBytes(greaseValue.data(), greaseValue.size());
    Encode(writer);
    return true;
}

QuicTransportError
QuicTransportParameters::Decode(const uint8_t* data,
                                size_t size,
                                bool sentByServer,
                                QuicTransportParameters& out,
                                QuicTransportParameterError* error)
{
    QuicTransportParameters tp;
    QuicBufferReader r(data, size);
    size_t preferredAddressOffset = 0;
    while (!r.AtEnd())
    {
        size_t start = r.Position();
        uint64_t id = 0;
        uint64_t length = 0;
        const uint8_t* value = nullptr;
        if (!r.ReadVarint(id))
        {
            NS_LOG_DEBUG("truncated transport parameter ID at offset " << start);
            return Fail(error, start, false, 0, "truncated transport parameter ID");
        }
        // Built only when needed: the success path does not allocate names.
        auto nameOf = [id]() { return QuicTransportParameterName(id); };
        if (!r.ReadVarint(length))
        {
            NS_LOG_DEBUG(nameOf() << ": truncated Length at offset " << start);
            return Fail(error, start, true, id, nameOf() + ": truncated Length");
        }
        if (length > r.Remaining() || !r.ReadSpan(value, static_cast<size_t>(length)))
        {
            std::ostringstream os;
            os << nameOf() << ": Length " << length << " runs past the end of the block ("
               << r.Remaining() << " bytes left)";
            NS_LOG_DEBUG(os.str());
            return Fail(error, start, true, id, os.str());
        }
        const TpInfo* info = Info(id);
        if (info == nullptr)
        {
            // Unknown or reserved (31 * N + 27): ignored, §7.4.2 and §18.1 (TP-01).
            NS_LOG_LOGIC("skipping " << nameOf() << " (" << length << " bytes)");
            continue;
        }
        auto pid = static_cast<QuicTransportParameterId>(id);
        const char* name = info->name;
        if (tp.Has(pid))
        {
            NS_LOG_DEBUG("duplicate " << name);
            return Fail(error, start, true, id, std::string("duplicate ") + name + " (TP-02)");
        }
        if (info->serverOnly && !sentByServer)
        {
            NS_LOG_DEBUG(name << " sent by a client");
            return Fail(error,
                        start,
                        true,
                        id,
                        std::string(name) + " is server-only but was sent by a client (TP-03)");
        }
        std::ostringstream why;
        switch (info->kind)
        {
        case TpKind::INTEGER: {
            QuicBufferReader vr(value, static_cast<size_t>(length));
            uint64_t v = 0;
            size_t used = 0;
            std::string rangeReason;
            if (length == 0)
            {
                why << name << ": empty value, expected a varint";
            }
            else if (!vr.ReadVarint(v, used))
            {
                why << name << ": value varint needs " << QuicVarintLengthFromFirstByte(value[0])
                    << " bytes but Length is " << length;
            }
            else if (!vr.AtEnd())
            {
                why << name << ": " << vr.Remaining() << " bytes after the " << used
                    << "-byte value varint (Length " << length << ")";
            }
            else if (!CheckInteger(pid, v, rangeReason))
            {
                why << rangeReason;
            }
            else
            {
                tp.m_integers[id] = v;
            }
            break;
        }
        case TpKind::FLAG:
            if (length != 0)
            {
                why << name << ": length " << length << ", expected 0";
            }
            break;
        case TpKind::TOKEN:
            if (length != STATELESS_RESET_TOKEN_LENGTH)
            {
                why << name << ": length " << length << ", expected 16";
            }
            else
            {
                std::copy(value, value + length, tp.m_statelessResetToken.begin());
            }
            break;
        case TpKind::CONNECTION_ID: {
            QuicConnectionId cid;
            if (length > QuicConnectionId::MAX_LENGTH ||
                !cid.Set(value, static_cast<size_t>(length)))
            {
                why << name << ": connection ID of " << length << " bytes exceeds 20";
            }
            else if (pid == QuicTransportParameterId::ORIGINAL_DESTINATION_CONNECTION_ID)
            {
                tp.m_originalDestinationCid = cid;
            }
            else if (pid == QuicTransportParameterId::INITIAL_SOURCE_CONNECTION_ID)
            {
                tp.m_initialSourceCid = cid;
            }
            else
            {
                tp.m_retrySourceCid = cid;
            }
            break;
        }
        case TpKind::PREFERRED_ADDRESS: {
            std::string paReason;
            if (QuicPreferredAddress::Decode(value,
                                             static_cast<size_t>(length),
                                             tp.m_preferredAddress,
                                             &paReason) != QuicTransportError::NO_ERROR)
            {
                why << paReason;
            }
            break;
        }
        }
        std::string reason = why.str();
        if (!reason.empty())
        {
            NS_LOG_DEBUG(reason);
            return Fail(error, start, true, id, reason);
        }
        tp.m_present |= Bit(pid);
        if (pid == QuicTransportParameterId::PREFERRED_ADDRESS)
        {
            preferredAddressOffset = start;
        }
    }
    // PA-02: a server that chose a zero-length connection ID must not offer a
    // preferred address; its initial_source_connection_id reveals that choice.
    if (tp.Has(QuicTransportParameterId::PREFERRED_ADDRESS) &&
        tp.Has(QuicTransportParameterId::INITIAL_SOURCE_CONNECTION_ID) &&
        tp.m_initialSourceCid.IsEmpty())
    {
        NS_LOG_DEBUG("preferred_address from a server using zero-length connection IDs");
        return Fail(error,
                    preferredAddressOffset,
                    true,
                    static_cast<uint64_t>(QuicTransportParameterId::PREFERRED_ADDRESS),
                    "preferred_address from a server using zero-length connection IDs (PA-02)");
    }
    out = tp;
    return Succeed(error);
}

QuicTransportError
QuicTransportParameters::Validate(bool sentByServer, QuicTransportParameterError* error) const
{
    for (uint64_t i = 0; i < KNOWN_COUNT; ++i)
    {
        auto id = static_cast<QuicTransportParameterId>(i);
        if (!Has(id))
        {
            continue;
        }
        const TpInfo& info = TP_INFO[i];
        if (info.serverOnly && !sentByServer)
        {
            return Fail(error,
                        0,
                        true,
                        i,
                        std::string(info.name) + " is server-only but set for a client (TP-03)");
        }
        std::string reason;
        if (info.kind == TpKind::INTEGER && !CheckInteger(id, m_integers[i], reason))
        {
            return Fail(error, 0, true, i, reason);
        }
        if (info.kind == TpKind::PREFERRED_ADDRESS && m_preferredAddress.connectionId.IsEmpty())
        {
            return Fail(error,
                        0,
                        true,
                        i,
                        "preferred_address with a zero-length connection ID (PA-02)");
        }
    }
    if (Has(QuicTransportParameterId::PREFERRED_ADDRESS) &&
        Has(QuicTransportParameterId::INITIAL_SOURCE_CONNECTION_ID) && m_initialSourceCid.IsEmpty())
    {
        return Fail(error,
                    0,
                    true,
                    static_cast<uint64_t>(QuicTransportParameterId::PREFERRED_ADDRESS),
                    "preferred_address from a server using zero-length connection IDs (PA-02)");
    }
    return Succeed(error);
}

QuicTransportError
QuicTransportParameters::ValidateConnectionIds(bool sentByServer,
                                               const QuicHandshakeConnectionIds& seen,
                                               QuicTransportParameterError* error) const
{
    using Id = QuicTransportParameterId;
    const auto iscid = static_cast<uint64_t>(Id::INITIAL_SOURCE_CONNECTION_ID);
    const auto odcid = static_cast<uint64_t>(Id::ORIGINAL_DESTINATION_CONNECTION_ID);
    const auto rscid = static_cast<uint64_t>(Id::RETRY_SOURCE_CONNECTION_ID);
    const char* peer = sentByServer ? "server" : "client";

    if (!Has(Id::INITIAL_SOURCE_CONNECTION_ID))
    {
        return Fail(error,
                    0,
                    true,
                    iscid,
                    std::string("initial_source_connection_id missing from ") + peer + " (CID-18)");
    }
    if (m_initialSourceCid != seen.peerInitialSourceCid)
    {
        std::ostringstream os;
        os << "initial_source_connection_id " << m_initialSourceCid
           << " does not match the Initial Source Connection ID " << seen.peerInitialSourceCid
           << " (CID-18)";
        return Fail(error, 0, true, iscid, os.str());
    }
    if (!sentByServer)
    {
        for (Id id : {Id::ORIGINAL_DESTINATION_CONNECTION_ID, Id::RETRY_SOURCE_CONNECTION_ID})
        {
            if (Has(id))
            {
                return Fail(error,
                            0,
                            true,
                            static_cast<uint64_t>(id),
                            QuicTransportParameterName(id) +
                                " is server-only but was sent by a client (TP-03)");
            }
        }
        return Succeed(error);
    }
    if (!Has(Id::ORIGINAL_DESTINATION_CONNECTION_ID))
    {
        return Fail(error,
                    0,
                    true,
                    odcid,
                    "original_destination_connection_id missing from server (CID-18)");
    }
    if (m_originalDestinationCid != seen.originalDestinationCid)
    {
        std::ostringstream os;
        os << "original_destination_connection_id " << m_originalDestinationCid
           << " does not match the client's first Destination Connection ID "
           << seen.originalDestinationCid << " (CID-18)";
        return Fail(error, 0, true, odcid, os.str());
    }
    if (seen.retryReceived && !Has(Id::RETRY_SOURCE_CONNECTION_ID))
    {
        return Fail(error,
                    0,
                    true,
                    rscid,
                    "retry_source_connection_id missing after a Retry (CID-18)");
    }
    if (!seen.retryReceived && Has(Id::RETRY_SOURCE_CONNECTION_ID))
    {
        return Fail(error,
                    0,
                    true,
                    rscid,
                    "retry_source_connection_id present but no Retry was received (CID-18)");
    }
    if (seen.retryReceived && m_retrySourceCid != seen.retrySourceCid)
    {
        std::ostringstream os;
        os << "retry_source_connection_id " << m_retrySourceCid
           << " does not match the Retry Source Connection ID " << seen.retrySourceCid
           << " (CID-18)";
        return Fail(error, 0, true, rscid, os.str());
    }
    return Succeed(error);
}

void
QuicTransportParameters::Print(std::ostream& os) const
{
    bool first = true;
    for (uint64_t i = 0; i < KNOWN_COUNT; ++i)
    {
        auto id = static_cast<QuicTransportParameterId>(i);
        if (!Has(id))
        {
            continue;
        }
        if (!first)
        {
            os << " ";
        }
        first = false;
        os << TP_INFO[i].name;
        switch (TP_INFO[i].kind)
        {
        case TpKind::INTEGER:
            os << "=" << m_integers[i];
            break;
        case TpKind::FLAG:
            break;
        case TpKind::TOKEN:
            os << "=" << BytesHex(m_statelessResetToken.data(), m_statelessResetToken.size());
            break;
        case TpKind::PREFERRED_ADDRESS:
            os << "={" << m_preferredAddress << "}";
            break;
        case TpKind::CONNECTION_ID:
            os << "="
               << (id == QuicTransportParameterId::ORIGINAL_DESTINATION_CONNECTION_ID
                       ? m_originalDestinationCid
                   : id == QuicTransportParameterId::INITIAL_SOURCE_CONNECTION_ID
                       ? m_initialSourceCid
                       : m_retrySourceCid);
            break;
        }
    }
}

bool
QuicTransportParameters::operator==(const QuicTransportParameters& o) const
{
    if (m_present != o.m_present)
    {
        return false;
    }
    for (size_t i = 0; i < KNOWN_COUNT; ++i)
    {
        if (TP_INFO[i].kind == TpKind::INTEGER && m_integers[i] != o.m_integers[i])
        {
            return false;
        }
    }
    // Absent values are reset to their defaults, so they compare equal.
    return m_originalDestinationCid == o.m_originalDestinationCid &&
           m_statelessResetToken == o.m_statelessResetToken &&
           m_preferredAddress == o.m_preferredAddress &&
           m_initialSourceCid == o.m_initialSourceCid && m_retrySourceCid == o.m_retrySourceCid;
}

std::ostream&
operator<<(std::ostream& os, const QuicTransportParameters& tp)
{
    tp.Print(os);
    return os;
}

} // namespace ns3
