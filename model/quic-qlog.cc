/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-qlog.h"

#include "quic-error.h"

#include "ns3/address.h"
#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/log.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

namespace
{

/// ASCII Record Separator that starts every JSON-SEQ record (RFC 7464 §2.2).
constexpr char RECORD_SEPARATOR = '\x1e';

/// Lower-case hex digits.
constexpr char HEX_DIGITS[] = "0123456789abcdef";

/// qlog frame_type names by wire type 0x00-0x1e (quic-events-03 QuicFrame types; same table as
/// QuicFrameTypeQlogName(), kept as constants so that packet events do not allocate).
const char* const FRAME_NAMES[] = {
    "padding",              // 0x00
    "ping",                 // 0x01
    "ack",                  // 0x02
    "ack",                  // 0x03
    "reset_stream",         // 0x04
    "stop_sending",         // 0x05
    "crypto",               // 0x06
    "new_token",            // 0x07
    "stream",               // 0x08
    "stream",               // 0x09
    "stream",               // 0x0a
    "stream",               // 0x0b
    "stream",               // 0x0c
    "stream",               // 0x0d
    "stream",               // 0x0e
    "stream",               // 0x0f
    "max_data",             // 0x10
    "max_stream_data",      // 0x11
    "max_streams",          // 0x12
    "max_streams",          // 0x13
    "data_blocked",         // 0x14
    "stream_data_blocked",  // 0x15
    "streams_blocked",      // 0x16
    "streams_blocked",      // 0x17
    "new_connection_id",    // 0x18
    "retire_connection_id", // 0x19
    "path_challenge",       // 0x1a
    "path_response",        // 0x1b
    "connection_close",     // 0x1c
    "connection_close",     // 0x1d
    "handshake_done",       // 0x1e
};

static_assert(sizeof(FRAME_NAMES) / sizeof(FRAME_NAMES[0]) == ns3::QUIC_FRAME_TYPE_MAX_KNOWN + 1,
              "table size");

/// qlog TransportError names for codes 0x00-0x10 (RFC 9000 §20.1 in lower case).
const char* const TRANSPORT_ERROR_NAMES[] = {
    "no_error",                  // 0x00
    "internal_error",            // 0x01
    "connection_refused",        // 0x02
    "flow_control_error",        // 0x03
    "stream_limit_error",        // 0x04
    "stream_state_error",        // 0x05
    "final_size_error",          // 0x06
    "frame_encoding_error",      // 0x07
    "transport_parameter_error", // 0x08
    "connection_id_limit_error", // 0x09
    "protocol_violation",        // 0x0a
    "invalid_token",             // 0x0b
    "application_error",         // 0x0c
    "crypto_buffer_exceeded",    // 0x0d
    "key_update_error",          // 0x0e
    "aead_limit_reached",        // 0x0f
    "no_viable_path",            // 0x10
};

/**
 * \param type a packet type
 * \return its qlog PacketType name
 */
const char*
PacketTypeName(ns3::QuicPacketType type)
{
    switch (type)
    {
    case ns3::QuicPacketType::INITIAL:
        return "initial";
    case ns3::QuicPacketType::ZERO_RTT:
        return "0RTT";
    case ns3::QuicPacketType::HANDSHAKE:
        return "handshake";
    case ns3::QuicPacketType::RETRY:
        return "retry";
    case ns3::QuicPacketType::VERSION_NEGOTIATION:
        return "version_negotiation";
    case ns3::QuicPacketType::ONE_RTT:
        return "1RTT";
    }
    return "unknown";
}

/**
 * \param trigger a packet trigger other than NONE
 * \return its qlog name
 */
const char*
PacketTriggerName(ns3::QuicQlogPacketTrigger trigger)
{
    using T = ns3::QuicQlogPacketTrigger;
    switch (trigger)
    {
    case T::NONE:
        break;
    case T::RETRANSMIT_REORDERED:
        return "retransmit_reordered";
    case T::RETRANSMIT_TIMEOUT:
        return "retransmit_timeout";
    case T::PTO_PROBE:
        return "pto_probe";
    case T::RETRANSMIT_CRYPTO:
        return "retransmit_crypto";
    case T::CC_BANDWIDTH_PROBE:
        return "cc_bandwidth_probe";
    case T::KEYS_AVAILABLE:
        return "keys_available";
    }
    return "";
}

/**
 * \param trigger a drop trigger
 * \return its qlog name
 */
const char*
DropTriggerName(ns3::QuicQlogDropTrigger trigger)
{
    using T = ns3::QuicQlogDropTrigger;
    switch (trigger)
    {
    case T::KEY_UNAVAILABLE:
        return "key_unavailable";
    case T::UNKNOWN_CONNECTION_ID:
        return "unknown_connection_id";
    case T::HEADER_PARSE_ERROR:
        return "header_parse_error";
    case T::PAYLOAD_DECRYPT_ERROR:
        return "payload_decrypt_error";
    case T::PROTOCOL_VIOLATION:
        return "protocol_violation";
    case T::DOS_PREVENTION:
        return "dos_prevention";
    case T::UNSUPPORTED_VERSION:
        return "unsupported_version";
    case T::UNEXPECTED_PACKET:
        return "unexpected_packet";
    case T::UNEXPECTED_SOURCE_CONNECTION_ID:
        return "unexpected_source_connection_id";
    case T::UNEXPECTED_VERSION:
        return "unexpected_version";
    case T::DUPLICATE:
        return "duplicate";
    case T::INVALID_INITIAL:
        return "invalid_initial";
    case T::GENERAL:
        break;
    }
    return "general";
}

/**
 * \param trigger a loss trigger
 * \return its qlog name
 */
const char*
LossTriggerName(ns3::QuicQlogLossTrigger trigger)
{
    switch (trigger)
    {
    case ns3::QuicQlogLossTrigger::REORDERING_THRESHOLD:
        return "reordering_threshold";
    case ns3::QuicQlogLossTrigger::TIME_THRESHOLD:
        return "time_threshold";
    case ns3::QuicQlogLossTrigger::PTO_EXPIRED:
        return "pto_expired";
    }
    return "";
}

/**
 * \param state a congestion state
 * \return its qlog name
 */
const char*
CongestionStateName(ns3::QuicQlogCongestionState state)
{
    switch (state)
    {
    case ns3::QuicQlogCongestionState::SLOW_START:
        return "slow_start";
    case ns3::QuicQlogCongestionState::CONGESTION_AVOIDANCE:
        return "congestion_avoidance";
    case ns3::QuicQlogCongestionState::APPLICATION_LIMITED:
        return "application_limited";
    case ns3::QuicQlogCongestionState::RECOVERY:
        return "recovery";
    }
    return "";
}

/**
 * \param state a connection state
 * \return its qlog name
 */
const char*
ConnectionStateName(ns3::QuicQlogConnectionState state)
{
    using S = ns3::QuicQlogConnectionState;
    switch (state)
    {
    case S::ATTEMPTED:
        return "attempted";
    case S::PEER_VALIDATED:
        return "peer_validated";
    case S::HANDSHAKE_STARTED:
        return "handshake_started";
    case S::EARLY_WRITE:
        return "early_write";
    case S::HANDSHAKE_COMPLETE:
        return "handshake_complete";
    case S::HANDSHAKE_CONFIRMED:
        return "handshake_confirmed";
    case S::CLOSING:
        return "closing";
    case S::DRAINING:
        return "draining";
    case S::CLOSED:
        return "closed";
    }
    return "";
}

/**
 * \param trigger a close trigger other than NONE
 * \return its qlog name
 */
const char*
CloseTriggerName(ns3::QuicQlogCloseTrigger trigger)
{
    using T = ns3::QuicQlogCloseTrigger;
    switch (trigger)
    {
    case T::NONE:
        break;
    case T::CLEAN:
        return "clean";
    case T::HANDSHAKE_TIMEOUT:
        return "handshake_timeout";
    case T::IDLE_TIMEOUT:
        return "idle_timeout";
    case T::ERROR:
        return "error";
    case T::STATELESS_RESET:
        return "stateless_reset";
    case T::VERSION_MISMATCH:
        return "version_mismatch";
    case T::APPLICATION:
        return "application";
    }
    return "";
}

/**
 * \param keyType a key type
 * \return its qlog name
 */
const char*
KeyTypeName(ns3::QuicQlogKeyType keyType)
{
    using K = ns3::QuicQlogKeyType;
    switch (keyType)
    {
    case K::SERVER_INITIAL_SECRET:
        return "server_initial_secret";
    case K::CLIENT_INITIAL_SECRET:
        return "client_initial_secret";
    case K::SERVER_HANDSHAKE_SECRET:
        return "server_handshake_secret";
    case K::CLIENT_HANDSHAKE_SECRET:
        return "client_handshake_secret";
    case K::SERVER_0RTT_SECRET:
        return "server_0rtt_secret";
    case K::CLIENT_0RTT_SECRET:
        return "client_0rtt_secret";
    case K::SERVER_1RTT_SECRET:
        return "server_1rtt_secret";
    case K::CLIENT_1RTT_SECRET:
        return "client_1rtt_secret";
    }
    return "";
}

/**
 * \param trigger a key trigger
 * \return its qlog name
 */
const char*
KeyTriggerName(ns3::QuicQlogKeyTrigger trigger)
{
    switch (trigger)
    {
    case ns3::QuicQlogKeyTrigger::TLS:
        return "tls";
    case ns3::QuicQlogKeyTrigger::REMOTE_UPDATE:
        return "remote_update";
    case ns3::QuicQlogKeyTrigger::LOCAL_UPDATE:
        return "local_update";
    }
    return "";
}

/**
 * \param space a packet number space
 * \return its qlog PacketNumberSpace name
 */
const char*
PacketNumberSpaceName(ns3::QuicPacketNumberSpace space)
{
    switch (space)
    {
    case ns3::QuicPacketNumberSpace::INITIAL:
        return "initial";
    case ns3::QuicPacketNumberSpace::HANDSHAKE:
        return "handshake";
    case ns3::QuicPacketNumberSpace::APPLICATION:
        return "application_data";
    }
    return "";
}

/**
 * \brief Append an unsigned integer in decimal.
 * \param out destination
 * \param value the number
 */
void
AppendUint(std::string& out, uint64_t value)
{
    char digits[24];
    const auto result = std::to_chars(digits, digits + sizeof(digits), value);
    out.append(digits, result.ptr);
}

/**
 * \brief Append bytes as lower-case hex digits (no quotes).
 * \param out destination
 * \param data bytes
 * \param length count
 */
void
AppendHex(std::string& out, const uint8_t* data, size_t length)
{
    for (size_t i = 0; i < length; ++i)
    {
        out.push_back(HEX_DIGITS[data[i] >> 4]);
        out.push_back(HEX_DIGITS[data[i] & 0x0f]);
    }
}

/**
 * \brief Append "\u00XX" for one byte.
 * \param out destination
 * \param byte the byte
 */
void
AppendUnicodeEscape(std::string& out, uint8_t byte)
{
    out.append("\\u00");
    out.push_back(HEX_DIGITS[byte >> 4]);
    out.push_back(HEX_DIGITS[byte & 0x0f]);
}

/**
 * \param b a byte
 * \return true for a UTF-8 continuation byte 10xxxxxx
 */
inline bool
IsContinuation(uint8_t b)
{
    return (b & 0xc0) == 0x80;
}

/**
 * \brief Length of the well-formed UTF-8 sequence (RFC 3629 §4) starting with a byte >= 0x80.
 * \param p the sequence
 * \param remaining bytes available from p (>= 1)
 * \return 2, 3 or 4, or 0 if p does not start a well-formed sequence
 */
size_t
Utf8SequenceLength(const uint8_t* p, size_t remaining)
{
    const uint8_t c = p[0];
    size_t n;
    uint8_t lo = 0x80; // allowed range of the second byte
    uint8_t hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf)
    {
        n = 2;
    }
    else if (c >= 0xe0 && c <= 0xef)
    {
        n = 3;
        if (c == 0xe0)
        {
            lo = 0xa0; // no overlong forms
        }
        else if (c == 0xed)
        {
            hi = 0x9f; // no UTF-16 surrogates
        }
    }
    else if (c >= 0xf0 && c <= 0xf4)
    {
        n = 4;
        if (c == 0xf0)
        {
            lo = 0x90; // no overlong forms
        }
        else if (c == 0xf4)
        {
            hi = 0x8f; // nothing above U+10FFFF
        }
    }
    else
    {
        return 0; // continuation byte, C0/C1 (overlong), F5-FF
    }
    if (remaining < n || p[1] < lo || p[1] > hi)
    {
        return 0;
    }
    for (size_t i = 2; i < n; ++i)
    {
        if (!IsContinuation(p[i]))
        {
            return 0;
        }
    }
    return n;
}

/**
 * \brief Split an ns-3 socket address into IP text and port.
 * \param address InetSocketAddress, Inet6SocketAddress or anything else
 * \param ip receives the IP address text (the address printout for other kinds)
 * \param port receives the port (0 for other kinds)
 */
void
SplitSocketAddress(const ns3::Address& address, std::string& ip, uint16_t& port)
{
    std::ostringstream os;
    port = 0;
    if (ns3::InetSocketAddress::IsMatchingType(address))
    {
        const ns3::InetSocketAddress a = ns3::InetSocketAddress::ConvertFrom(address);
        a.GetIpv4().Print(os);
        port = a.GetPort();
    }
    else if (ns3::Inet6SocketAddress::IsMatchingType(address))
    {
        const ns3::Inet6SocketAddress a = ns3::Inet6SocketAddress::ConvertFrom(address);
        a.GetIpv6().Print(os);
        port = a.GetPort();
    }
    else
    {
        os << address;
    }
    ip = os.str();
}

} // namespace

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicQlogWriter");

// --- value types ---------------------------------------------------------------------------

QuicQlogPacketHeader
QuicQlogPacketHeader::FromHeader(const QuicPacketHeader& header, uint64_t packetNumber)
{
    QuicQlogPacketHeader h;
    h.m_type = header.m_type;
    if (header.HasPacketNumber())
    {
        h.m_packetNumber = packetNumber;
    }
    h.m_dcid = header.m_dcid;
    if (header.IsLongHeader())
    {
        h.m_scid = header.m_scid;
        h.m_version = header.m_version;
    }
    return h;
}

bool
QuicQlogMetrics::IsEmpty() const
{
    return !m_minRtt && !m_smoothedRtt && !m_latestRtt && !m_rttVariance && !m_ptoCount &&
           !m_congestionWindow && !m_bytesInFlight && !m_ssthresh && !m_packetsInFlight &&
           !m_pacingRate;
}

QuicQlogParameter
QuicQlogParameter::Uint(const std::string& name, uint64_t value)
{
    QuicQlogParameter p;
    p.m_name = name;
    p.m_kind = Kind::UINT;
    p.m_uint = value;
    return p;
}

QuicQlogParameter
QuicQlogParameter::Bool(const std::string& name, bool value)
{
    QuicQlogParameter p;
    p.m_name = name;
    p.m_kind = Kind::BOOL;
    p.m_bool = value;
    return p;
}

QuicQlogParameter
QuicQlogParameter::String(const std::string& name, const std::string& value)
{
    QuicQlogParameter p;
    p.m_name = name;
    p.m_kind = Kind::STRING;
    p.m_string = value;
    return p;
}

QuicQlogParameter
QuicQlogParameter::Hex(const std::string& name, const uint8_t* data, size_t length)
{
    QuicQlogParameter p;
    p.m_name = name;
    p.m_kind = Kind::HEX;
    if (data != nullptr && length > 0)
    {
        p.m_string.assign(reinterpret_cast<const char*>(data), length);
    }
    return p;
}

QuicQlogParameter
QuicQlogParameter::Cid(const std::string& name, const QuicConnectionId& cid)
{
    return Hex(name, cid.Data(), cid.Length());
}

// --- writer: life cycle --------------------------------------------------------------------

QuicQlogWriter::QuicQlogWriter()
    : m_stream(nullptr),
      m_referenceTime(Time(0)),
      m_eventCount(0),
      m_needComma(false),
      m_inPacket(false),
      m_framesInPacket(0)
{
}

QuicQlogWriter::~QuicQlogWriter()
{
    Close();
}

bool
QuicQlogWriter::Open(const std::string& path,
                     QuicQlogVantagePoint vantagePoint,
                     const std::string& title,
                     const QuicConnectionId& odcid,
                     Time referenceTime,
                     const std::string& name)
{
    NS_LOG_FUNCTION(this << path);
    Close();
    auto file = std::make_unique<std::ofstream>();
    errno = 0;
    file->open(path, std::ios::out | std::ios::binary | std::ios::trunc);
    if (!file->is_open())
    {
        const int err = errno;
        m_lastError = "qlog: cannot open '" + path + "' for writing";
        if (err != 0)
        {
            m_lastError += ": ";
            m_lastError += std::strerror(err);
        }
        NS_LOG_WARN(m_lastError);
        return false;
    }
    m_ownedStream = std::move(file);
    m_stream = m_ownedStream.get();
    m_lastError.clear();
    m_referenceTime = referenceTime;
    m_eventCount = 0;
    WriteHeader(vantagePoint, title, odcid, name);
    return true;
}

bool
QuicQlogWriter::Open(std::ostream* stream,
                     QuicQlogVantagePoint vantagePoint,
                     const std::string& title,
                     const QuicConnectionId& odcid,
                     Time referenceTime,
                     const std::string& name)
{
    NS_LOG_FUNCTION(this << stream);
    Close();
    if (stream == nullptr || !*stream)
    {
        m_lastError = stream == nullptr ? "qlog: null output stream" : "qlog: output stream failed";
        NS_LOG_WARN(m_lastError);
        return false;
    }
    m_stream = stream;
    m_lastError.clear();
    m_referenceTime = referenceTime;
    m_eventCount = 0;
    WriteHeader(vantagePoint, title, odcid, name);
    return true;
}

void
QuicQlogWriter::Close()
{
    if (m_stream != nullptr)
    {
        Flush();
    }
    if (m_ownedStream)
    {
        auto* file = static_cast<std::ofstream*>(m_ownedStream.get());
        file->close();
        if (file->fail() && m_lastError.empty())
        {
            m_lastError = "qlog: closing the file failed";
            NS_LOG_WARN(m_lastError);
        }
        m_ownedStream.reset();
    }
    m_stream = nullptr;
    m_buffer.clear();
    m_inPacket = false;
    m_needComma = false;
}

void
QuicQlogWriter::Flush()
{
    if (m_stream == nullptr)
    {
        return;
    }
    if (m_inPacket)
    {
        EndPacket();
    }
    WriteOut();
    if (m_stream != nullptr)
    {
        m_stream->flush();
        if (!*m_stream)
        {
            m_lastError = "qlog: flushing the output failed";
            NS_LOG_WARN(m_lastError);
            m_stream = nullptr;
        }
    }
}

bool
QuicQlogWriter::IsOpen() const
{
    return m_stream != nullptr;
}

const std::string&
QuicQlogWriter::GetLastError() const
{
    return m_lastError;
}

uint64_t
QuicQlogWriter::GetEventCount() const
{
    return m_eventCount;
}

Time
QuicQlogWriter::GetReferenceTime() const
{
    return m_referenceTime;
}

void
QuicQlogWriter::WriteOut()
{
    if (m_stream == nullptr || m_buffer.empty())
    {
        return;
    }
    m_stream->write(m_buffer.data(), static_cast<std::streamsize>(m_buffer.size()));
    m_buffer.clear(); // keeps the capacity
    if (!*m_stream)
    {
        m_lastError = "qlog: writing the trace failed; the trace is stopped";
        NS_LOG_WARN(m_lastError);
        m_stream = nullptr;
    }
}

// --- writer: JSON building blocks ----------------------------------------------------------

void
QuicQlogWriter::Key(const char* key)
{
    if (m_needComma)
    {
        m_buffer.push_back(',');
    }
    m_buffer.push_back('"');
    m_buffer.append(key);
    m_buffer.append("\":");
    m_needComma = false;
}

void
QuicQlogWriter::FieldLiteral(const char* key, const char* value)
{
    Key(key);
    m_buffer.push_back('"');
    m_buffer.append(value);
    m_buffer.push_back('"');
    m_needComma = true;
}

void
QuicQlogWriter::FieldUint(const char* key, uint64_t value)
{
    Key(key);
    AppendUint(m_buffer, value);
    m_needComma = true;
}

void
QuicQlogWriter::FieldBool(const char* key, bool value)
{
    Key(key);
    m_buffer.append(value ? "true" : "false");
    m_needComma = true;
}

void
QuicQlogWriter::FieldMs(const char* key, Time t)
{
    Key(key);
    AppendMilliseconds(m_buffer, t);
    m_needComma = true;
}

void
QuicQlogWriter::FieldHex(const char* key, const uint8_t* data, size_t length)
{
    Key(key);
    m_buffer.push_back('"');
    if (data != nullptr)
    {
        AppendHex(m_buffer, data, length);
    }
    m_buffer.push_back('"');
    m_needComma = true;
}

void
QuicQlogWriter::FieldCid(const char* key, const QuicConnectionId& cid)
{
    FieldHex(key, cid.Data(), cid.Length());
}

void
QuicQlogWriter::FieldString(const char* key, const std::string& value)
{
    Key(key);
    AppendJsonString(m_buffer, value);
    m_needComma = true;
}

void
QuicQlogWriter::FieldPath(const char* key, const QuicQlogPath& path)
{
    Key(key);
    OpenObject();
    FieldString("local", path.m_local);
    FieldString("remote", path.m_remote);
    if (path.m_pathId)
    {
        FieldUint("path_id", *path.m_pathId);
    }
    CloseObject();
}

void
QuicQlogWriter::FieldTransportError(const char* key, uint64_t code)
{
    if (const char* name = TransportErrorQlogName(code))
    {
        FieldLiteral(key, name);
    }
    else if (QuicIsCryptoError(code))
    {
        // quic-events-03 CryptoError: "crypto_error_0x1" followed by the TLS alert in hex.
        Key(key);
        m_buffer.append("\"crypto_error_0x1");
        m_buffer.push_back(HEX_DIGITS[(code >> 4) & 0x0f]);
        m_buffer.push_back(HEX_DIGITS[code & 0x0f]);
        m_buffer.push_back('"');
        m_needComma = true;
    }
    else
    {
        FieldUint(key, code);
    }
}

void
QuicQlogWriter::OpenObject()
{
    if (m_needComma)
    {
        m_buffer.push_back(',');
    }
    m_buffer.push_back('{');
    m_needComma = false;
}

void
QuicQlogWriter::CloseObject()
{
    m_buffer.push_back('}');
    m_needComma = true;
}

// --- writer: records -----------------------------------------------------------------------

void
QuicQlogWriter::WriteHeader(QuicQlogVantagePoint vantagePoint,
                            const std::string& title,
                            const QuicConnectionId& odcid,
                            const std::string& name)
{
    m_buffer.clear();
    m_buffer.reserve(FLUSH_THRESHOLD + 4096);
    m_buffer.push_back(RECORD_SEPARATOR);
    m_needComma = false;
    OpenObject();
    FieldLiteral("qlog_version", "0.3");
    FieldLiteral("qlog_format", "JSON-SEQ");
    FieldString("title", title);
    Key("trace");
    OpenObject();
    Key("vantage_point");
    OpenObject();
    if (!name.empty())
    {
        FieldString("name", name);
    }
    FieldLiteral("type", vantagePoint == QuicQlogVantagePoint::CLIENT ? "client" : "server");
    CloseObject();
    Key("common_fields");
    OpenObject();
    FieldCid("ODCID", odcid);
    FieldCid("group_id", odcid);
    FieldMs("reference_time", m_referenceTime);
    FieldLiteral("time_format", "relative");
    Key("protocol_type");
    m_buffer.append("[\"QUIC\"]");
    m_needComma = true;
    CloseObject(); // common_fields
    CloseObject(); // trace
    CloseObject(); // file
    m_buffer.push_back('\n');
    m_needComma = false;
}

void
QuicQlogWriter::BeginEvent(Time now, const char* name)
{
    if (m_inPacket)
    {
        EndPacket();
    }
    m_buffer.push_back(RECORD_SEPARATOR);
    m_buffer.append("{\"time\":");
    AppendMilliseconds(m_buffer, now - m_referenceTime);
    m_buffer.append(",\"name\":\"");
    m_buffer.append(name);
    m_buffer.append("\",\"data\":{");
    m_needComma = false;
}

void
QuicQlogWriter::EndEvent()
{
    m_buffer.append("}}\n");
    m_needComma = false;
    ++m_eventCount;
    if (m_buffer.size() >= FLUSH_THRESHOLD)
    {
        WriteOut();
    }
}

void
QuicQlogWriter::BeginPacket(Time now, const char* name, const QuicQlogPacketHeader& header)
{
    BeginEvent(now, name);
    Key("header");
    OpenObject();
    FieldLiteral("packet_type", PacketTypeName(header.m_type));
    if (header.m_packetNumber)
    {
        FieldUint("packet_number", *header.m_packetNumber);
    }
    if (header.m_version)
    {
        Key("version");
        m_buffer.push_back('"');
        const uint32_t v = *header.m_version;
        for (int shift = 28; shift >= 0; shift -= 4)
        {
            m_buffer.push_back(HEX_DIGITS[(v >> shift) & 0x0f]);
        }
        m_buffer.push_back('"');
        m_needComma = true;
    }
    if (header.m_dcid)
    {
        FieldCid("dcid", *header.m_dcid);
    }
    if (header.m_scid)
    {
        FieldCid("scid", *header.m_scid);
    }
    CloseObject();
    if (header.m_isCoalesced)
    {
        FieldBool("is_coalesced", true);
    }
    if (header.m_datagramId)
    {
        FieldUint("datagram_id", *header.m_datagramId);
    }
    if (header.m_length || header.m_payloadLength)
    {
        Key("raw");
        OpenObject();
        if (header.m_length)
        {
            FieldUint("length", *header.m_length);
        }
        if (header.m_payloadLength)
        {
            FieldUint("payload_length", *header.m_payloadLength);
        }
        CloseObject();
    }
    if (header.m_trigger != QuicQlogPacketTrigger::NONE)
    {
        FieldLiteral("trigger", PacketTriggerName(header.m_trigger));
    }
    Key("frames");
    m_buffer.push_back('[');
    m_needComma = false;
    m_inPacket = true;
    m_framesInPacket = 0;
}

void
QuicQlogWriter::BeginPacketSent(Time now, const QuicQlogPacketHeader& header)
{
    if (m_stream == nullptr)
    {
        return;
    }
    BeginPacket(now, "transport:packet_sent", header);
}

void
QuicQlogWriter::BeginPacketReceived(Time now, const QuicQlogPacketHeader& header)
{
    if (m_stream == nullptr)
    {
        return;
    }
    BeginPacket(now, "transport:packet_received", header);
}

void
QuicQlogWriter::EndPacket()
{
    if (m_stream == nullptr || !m_inPacket)
    {
        return;
    }
    m_buffer.push_back(']');
    m_inPacket = false;
    EndEvent();
}

void
QuicQlogWriter::PacketSent(Time now,
                           const QuicQlogPacketHeader& header,
                           const QuicFrame* frames,
                           size_t count,
                           Time ackDelay)
{
    if (m_stream == nullptr)
    {
        return;
    }
    BeginPacket(now, "transport:packet_sent", header);
    for (size_t i = 0; frames != nullptr && i < count; ++i)
    {
        AddFrame(frames[i], ackDelay);
    }
    EndPacket();
}

void
QuicQlogWriter::PacketReceived(Time now,
                               const QuicQlogPacketHeader& header,
                               const QuicFrame* frames,
                               size_t count,
                               Time ackDelay)
{
    if (m_stream == nullptr)
    {
        return;
    }
    BeginPacket(now, "transport:packet_received", header);
    for (size_t i = 0; frames != nullptr && i < count; ++i)
    {
        AddFrame(frames[i], ackDelay);
    }
    EndPacket();
}

void
QuicQlogWriter::AddFrame(const QuicFrame& frame, Time ackDelay)
{
    if (m_stream == nullptr || !m_inPacket)
    {
        return;
    }
    const uint64_t type = static_cast<uint64_t>(frame.m_type);
    OpenObject();
    FieldLiteral("frame_type", QuicFrameTypeIsKnown(type) ? FRAME_NAMES[type] : "unknown");
    if (QuicFrameTypeIsStream(frame.m_type))
    {
        FieldUint("stream_id", frame.m_streamId);
        FieldUint("offset", frame.m_offset);
        FieldUint("length", frame.m_dataLength);
        if (frame.HasFin())
        {
            FieldBool("fin", true);
        }
        CloseObject();
        ++m_framesInPacket;
        return;
    }
    switch (frame.m_type)
    {
    case QuicFrameType::PADDING:
        FieldUint("length", frame.m_paddingLength);
        FieldUint("payload_length", frame.m_paddingLength);
        break;
    case QuicFrameType::PING:
    case QuicFrameType::HANDSHAKE_DONE:
        break;
    case QuicFrameType::ACK:
    case QuicFrameType::ACK_ECN:
        FieldMs("ack_delay", ackDelay);
        Key("acked_ranges");
        m_buffer.push_back('[');
        // m_ackRanges is descending; qvis and the draft's examples list ranges ascending.
        for (size_t i = frame.m_ackRanges.size(); i > 0; --i)
        {
            const QuicAckRange& r = frame.m_ackRanges[i - 1];
            if (i != frame.m_ackRanges.size())
            {
                m_buffer.push_back(',');
            }
            m_buffer.push_back('[');
            AppendUint(m_buffer, r.m_smallest);
            if (r.m_largest != r.m_smallest)
            {
                m_buffer.push_back(',');
                AppendUint(m_buffer, r.m_largest);
            }
            m_buffer.push_back(']');
        }
        m_buffer.push_back(']');
        m_needComma = true;
        if (frame.HasEcnCounts())
        {
            FieldUint("ect1", frame.m_ect1Count);
            FieldUint("ect0", frame.m_ect0Count);
            FieldUint("ce", frame.m_ecnCeCount);
        }
        break;
    case QuicFrameType::RESET_STREAM:
        FieldUint("stream_id", frame.m_streamId);
        FieldUint("error_code", frame.m_errorCode);
        FieldUint("final_size", frame.m_finalSize);
        break;
    case QuicFrameType::STOP_SENDING:
        FieldUint("stream_id", frame.m_streamId);
        FieldUint("error_code", frame.m_errorCode);
        break;
    case QuicFrameType::CRYPTO:
        FieldUint("offset", frame.m_offset);
        FieldUint("length", frame.m_dataLength);
        break;
    case QuicFrameType::NEW_TOKEN:
        Key("token");
        OpenObject();
        FieldUint("length", frame.m_dataLength);
        if (frame.m_data != nullptr)
        {
            FieldHex("data", frame.m_data, frame.m_dataLength);
        }
        CloseObject();
        break;
    case QuicFrameType::MAX_DATA:
        FieldUint("maximum", frame.m_maximum);
        break;
    case QuicFrameType::MAX_STREAM_DATA:
        FieldUint("stream_id", frame.m_streamId);
        FieldUint("maximum", frame.m_maximum);
        break;
    case QuicFrameType::MAX_STREAMS_BIDI:
    case QuicFrameType::MAX_STREAMS_UNI:
        FieldLiteral("stream_type", frame.IsBidirectional() ? "bidirectional" : "unidirectional");
        FieldUint("maximum", frame.m_maximum);
        break;
    case QuicFrameType::DATA_BLOCKED:
        FieldUint("limit", frame.m_maximum);
        break;
    case QuicFrameType::STREAM_DATA_BLOCKED:
        FieldUint("stream_id", frame.m_streamId);
        FieldUint("limit", frame.m_maximum);
        break;
    case QuicFrameType::STREAMS_BLOCKED_BIDI:
    case QuicFrameType::STREAMS_BLOCKED_UNI:
        FieldLiteral("stream_type", frame.IsBidirectional() ? "bidirectional" : "unidirectional");
        FieldUint("limit", frame.m_maximum);
        break;
    case QuicFrameType::NEW_CONNECTION_ID:
        FieldUint("sequence_number", frame.m_sequenceNumber);
        FieldUint("retire_prior_to", frame.m_retirePriorTo);
        FieldUint("connection_id_length", frame.m_connectionId.Length());
        FieldCid("connection_id", frame.m_connectionId);
        FieldHex("stateless_reset_token",
                 frame.m_statelessResetToken,
                 QuicFrame::RESET_TOKEN_LENGTH);
        break;
    case QuicFrameType::RETIRE_CONNECTION_ID:
        FieldUint("sequence_number", frame.m_sequenceNumber);
        break;
    case QuicFrameType::PATH_CHALLENGE:
    case QuicFrameType::PATH_RESPONSE:
        FieldHex("data", frame.m_pathData, QuicFrame::PATH_DATA_LENGTH);
        break;
    case QuicFrameType::CONNECTION_CLOSE:
    case QuicFrameType::CONNECTION_CLOSE_APP: {
        const bool transport = frame.m_type == QuicFrameType::CONNECTION_CLOSE;
        FieldLiteral("error_space", transport ? "transport" : "application");
        if (transport)
        {
            FieldTransportError("error_code", frame.m_errorCode);
        }
        else
        {
            FieldUint("error_code", frame.m_errorCode);
        }
        FieldUint("raw_error_code", frame.m_errorCode);
        Key("reason");
        AppendJsonString(m_buffer,
                         reinterpret_cast<const char*>(frame.m_data),
                         frame.m_data != nullptr ? frame.m_dataLength : 0);
        m_needComma = true;
        // Frame Type 0 means "unknown" (RFC 9000 §19.19): not written.
        if (transport && frame.m_frameType != 0)
        {
            if (QuicFrameTypeIsKnown(frame.m_frameType))
            {
                FieldLiteral("trigger_frame_type", FRAME_NAMES[frame.m_frameType]);
            }
            else
            {
                FieldUint("trigger_frame_type", frame.m_frameType);
            }
        }
        break;
    }
    default:
        FieldUint("raw_frame_type", type);
        break;
    }
    CloseObject();
    ++m_framesInPacket;
}

void
QuicQlogWriter::PacketDropped(Time now,
                              std::optional<QuicPacketType> type,
                              uint64_t rawLength,
                              QuicQlogDropTrigger trigger)
{
    if (m_stream == nullptr)
    {
        return;
    }
    BeginEvent(now, "transport:packet_dropped");
    if (type)
    {
        Key("header");
        OpenObject();
        FieldLiteral("packet_type", PacketTypeName(*type));
        CloseObject();
    }
    Key("raw");
    OpenObject();
    FieldUint("length", rawLength);
    CloseObject();
    FieldLiteral("trigger", DropTriggerName(trigger));
    EndEvent();
}

void
QuicQlogWriter::PacketsAcked(Time now,
                             QuicPacketNumberSpace space,
                             const uint64_t* packetNumbers,
                             size_t count)
{
    if (m_stream == nullptr)
    {
        return;
    }
    BeginEvent(now, "transport:packets_acked");
    FieldLiteral("packet_number_space", PacketNumberSpaceName(space));
    if (packetNumbers != nullptr && count > 0)
    {
        Key("packet_numbers");
        m_buffer.push_back('[');
        for (size_t i = 0; i < count; ++i)
        {
            if (i > 0)
            {
                m_buffer.push_back(',');
            }
            AppendUint(m_buffer, packetNumbers[i]);
        }
        m_buffer.push_back(']');
        m_needComma = true;
    }
    EndEvent();
}

void
QuicQlogWriter::ParametersSet(Time now,
                              QuicQlogOwner owner,
                              const std::vector<QuicQlogParameter>& parameters)
{
    if (m_stream == nullptr)
    {
        return;
    }
    BeginEvent(now, "transport:parameters_set");
    FieldLiteral("owner", owner == QuicQlogOwner::LOCAL ? "local" : "remote");
    for (const auto& p : parameters)
    {
        // Names are caller-chosen: escape them like values.
        m_buffer.push_back(',');
        AppendJsonString(m_buffer, p.m_name);
        m_buffer.push_back(':');
        switch (p.m_kind)
        {
        case QuicQlogParameter::Kind::UINT:
            AppendUint(m_buffer, p.m_uint);
            break;
        case QuicQlogParameter::Kind::BOOL:
            m_buffer.append(p.m_bool ? "true" : "false");
            break;
        case QuicQlogParameter::Kind::STRING:
            AppendJsonString(m_buffer, p.m_string);
            break;
        case QuicQlogParameter::Kind::HEX:
            m_buffer.push_back('"');
            AppendHex(m_buffer,
                      reinterpret_cast<const uint8_t*>(p.m_string.data()),
                      p.m_string.size());
            m_buffer.push_back('"');
            break;
        }
    }
    m_needComma = true;
    EndEvent();
}

void
QuicQlogWriter::ConnectionStarted(Time now,
                                  const std::string& srcIp,
                                  uint16_t srcPort,
                                  const std::string& dstIp,
                                  uint16_t dstPort,
                                  const QuicConnectionId& srcCid,
                                  const QuicConnectionId& dstCid)
{
    if (m_stream == nullptr)
    {
        return;
    }
    BeginEvent(now, "connectivity:connection_started");
    FieldLiteral("ip_version", srcIp.find(':') != std::string::npos ? "v6" : "v4");
    FieldString("src_ip", srcIp);
    FieldString("dst_ip", dstIp);
    FieldLiteral("protocol", "QUIC");
    FieldUint("src_port", srcPort);
    FieldUint("dst_port", dstPort);
    FieldCid("src_cid", srcCid);
    FieldCid("dst_cid", dstCid);
    EndEvent();
}

void
QuicQlogWriter::ConnectionStarted(Time now,
                                  const Address& local,
                                  const Address& remote,
                                  const QuicConnectionId& srcCid,
                                  const QuicConnectionId& dstCid)
{
    if (m_stream == nullptr)
    {
        return;
    }
    std::string srcIp;
    std::string dstIp;
    uint16_t srcPort;
    uint16_t dstPort;
    SplitSocketAddress(local, srcIp, srcPort);
    SplitSocketAddress(remote, dstIp, dstPort);
    ConnectionStarted(now, srcIp, srcPort, dstIp, dstPort, srcCid, dstCid);
}

void
QuicQlogWriter::ConnectionStateUpdated(Time now,
                                       std::optional<QuicQlogConnectionState> oldState,
                                       QuicQlogConnectionState newState)
{
    if (m_stream == nullptr)
    {
        return;
    }
    BeginEvent(now, "connectivity:connection_state_updated");
    if (oldState)
    {
        FieldLiteral("old", ConnectionStateName(*oldState));
    }
    FieldLiteral("new", ConnectionStateName(newState));
    EndEvent();
}

void
QuicQlogWriter::ConnectionClosed(Time now, const QuicQlogConnectionClose& close)
{
    if (m_stream == nullptr)
    {
        return;
    }
    BeginEvent(now, "connectivity:connection_closed");
    if (close.m_owner)
    {
        FieldLiteral("owner", *close.m_owner == QuicQlogOwner::LOCAL ? "local" : "remote");
    }
    if (close.m_connectionCode)
    {
        FieldTransportError("connection_code", *close.m_connectionCode);
    }
    if (close.m_applicationCode)
    {
        FieldUint("application_code", *close.m_applicationCode);
    }
    if (close.m_internalCode)
    {
        FieldUint("internal_code", *close.m_internalCode);
    }
    if (close.m_reason)
    {
        FieldString("reason", *close.m_reason);
    }
    if (close.m_trigger != QuicQlogCloseTrigger::NONE)
    {
        FieldLiteral("trigger", CloseTriggerName(close.m_trigger));
    }
    EndEvent();
}

void
QuicQlogWriter::ConnectionIdUpdated(Time now,
                                    QuicQlogOwner owner,
                                    std::optional<QuicConnectionId> oldCid,
                                    std::optional<QuicConnectionId> newCid)
{
    if (m_stream == nullptr)
    {
        return;
    }
    BeginEvent(now, "connectivity:connection_id_updated");
    FieldLiteral("owner", owner == QuicQlogOwner::LOCAL ? "local" : "remote");
    if (oldCid)
    {
        FieldCid("old", *oldCid);
    }
    if (newCid)
    {
        FieldCid("new", *newCid);
    }
    EndEvent();
}

void
QuicQlogWriter::SpinBitUpdated(Time now, bool state)
{
    if (m_stream == nullptr)
    {
        return;
    }
    BeginEvent(now, "connectivity:spin_bit_updated");
    FieldBool("state", state);
    EndEvent();
}

void
QuicQlogWriter::KeyEvent(Time now,
                         const char* name,
                         QuicQlogKeyType keyType,
                         QuicQlogKeyTrigger trigger,
                         std::optional<uint32_t> generation)
{
    if (m_stream == nullptr)
    {
        return;
    }
    BeginEvent(now, name);
    FieldLiteral("key_type", KeyTypeName(keyType));
    if (generation)
    {
        FieldUint("generation", *generation);
    }
    FieldLiteral("trigger", KeyTriggerName(trigger));
    EndEvent();
}

void
QuicQlogWriter::KeyUpdated(Time now,
                           QuicQlogKeyType keyType,
                           QuicQlogKeyTrigger trigger,
                           std::optional<uint32_t> generation)
{
    KeyEvent(now, "security:key_updated", keyType, trigger, generation);
}

void
QuicQlogWriter::KeyDiscarded(Time now,
                             QuicQlogKeyType keyType,
                             QuicQlogKeyTrigger trigger,
                             std::optional<uint32_t> generation)
{
    KeyEvent(now, "security:key_discarded", keyType, trigger, generation);
}

void
QuicQlogWriter::MetricsUpdated(Time now, const QuicQlogMetrics& metrics)
{
    if (m_stream == nullptr || metrics.IsEmpty())
    {
        return;
    }
    BeginEvent(now, "recovery:metrics_updated");
    if (metrics.m_minRtt)
    {
        FieldMs("min_rtt", *metrics.m_minRtt);
    }
    if (metrics.m_smoothedRtt)
    {
        FieldMs("smoothed_rtt", *metrics.m_smoothedRtt);
    }
    if (metrics.m_latestRtt)
    {
        FieldMs("latest_rtt", *metrics.m_latestRtt);
    }
    if (metrics.m_rttVariance)
    {
        FieldMs("rtt_variance", *metrics.m_rttVariance);
    }
    if (metrics.m_ptoCount)
    {
        FieldUint("pto_count", *metrics.m_ptoCount);
    }
    if (metrics.m_congestionWindow)
    {
        FieldUint("congestion_window", *metrics.m_congestionWindow);
    }
    if (metrics.m_bytesInFlight)
    {
        FieldUint("bytes_in_flight", *metrics.m_bytesInFlight);
    }
    if (metrics.m_ssthresh)
    {
        FieldUint("ssthresh", *metrics.m_ssthresh);
    }
    if (metrics.m_packetsInFlight)
    {
        FieldUint("packets_in_flight", *metrics.m_packetsInFlight);
    }
    if (metrics.m_pacingRate)
    {
        FieldUint("pacing_rate", *metrics.m_pacingRate);
    }
    EndEvent();
}

void
QuicQlogWriter::PacketLost(Time now,
                           QuicPacketType type,
                           uint64_t packetNumber,
                           QuicQlogLossTrigger trigger)
{
    if (m_stream == nullptr)
    {
        return;
    }
    BeginEvent(now, "recovery:packet_lost");
    Key("header");
    OpenObject();
    FieldLiteral("packet_type", PacketTypeName(type));
    FieldUint("packet_number", packetNumber);
    CloseObject();
    FieldLiteral("trigger", LossTriggerName(trigger));
    EndEvent();
}

void
QuicQlogWriter::CongestionStateUpdated(Time now,
                                       std::optional<QuicQlogCongestionState> oldState,
                                       QuicQlogCongestionState newState,
                                       QuicQlogCongestionTrigger trigger)
{
    if (m_stream == nullptr)
    {
        return;
    }
    BeginEvent(now, "recovery:congestion_state_updated");
    if (oldState)
    {
        FieldLiteral("old", CongestionStateName(*oldState));
    }
    FieldLiteral("new", CongestionStateName(newState));
    if (trigger != QuicQlogCongestionTrigger::NONE)
    {
        FieldLiteral("trigger",
                     trigger == QuicQlogCongestionTrigger::ECN ? "ECN" : "persistent_congestion");
    }
    EndEvent();
}

// --- writer: quic_migration events ---------------------------------------------------------

void
QuicQlogWriter::PathDataEvent(Time now,
                              const char* name,
                              const QuicQlogPath& path,
                              const uint8_t (&data)[QuicFrame::PATH_DATA_LENGTH])
{
    if (m_stream == nullptr)
    {
        return;
    }
    BeginEvent(now, name);
    FieldPath("path", path);
    FieldHex("data", data, QuicFrame::PATH_DATA_LENGTH);
    EndEvent();
}

void
QuicQlogWriter::PathChallengeSent(Time now,
                                  const QuicQlogPath& path,
                                  const uint8_t (&data)[QuicFrame::PATH_DATA_LENGTH])
{
    PathDataEvent(now, "quic_migration:path_challenge_sent", path, data);
}

void
QuicQlogWriter::PathChallengeReceived(Time now,
                                      const QuicQlogPath& path,
                                      const uint8_t (&data)[QuicFrame::PATH_DATA_LENGTH])
{
    PathDataEvent(now, "quic_migration:path_challenge_received", path, data);
}

void
QuicQlogWriter::PathResponseSent(Time now,
                                 const QuicQlogPath& path,
                                 const uint8_t (&data)[QuicFrame::PATH_DATA_LENGTH])
{
    PathDataEvent(now, "quic_migration:path_response_sent", path, data);
}

void
QuicQlogWriter::PathResponseReceived(Time now,
                                     const QuicQlogPath& path,
                                     const uint8_t (&data)[QuicFrame::PATH_DATA_LENGTH])
{
    PathDataEvent(now, "quic_migration:path_response_received", path, data);
}

void
QuicQlogWriter::PathValidated(Time now,
                              const QuicQlogPath& path,
                              std::optional<Time> validationTime)
{
    if (m_stream == nullptr)
    {
        return;
    }
    BeginEvent(now, "quic_migration:path_validated");
    FieldPath("path", path);
    if (validationTime)
    {
        FieldMs("validation_time", *validationTime);
    }
    EndEvent();
}

void
QuicQlogWriter::PathValidationFailed(Time now, const QuicQlogPath& path, const std::string& reason)
{
    if (m_stream == nullptr)
    {
        return;
    }
    BeginEvent(now, "quic_migration:path_validation_failed");
    FieldPath("path", path);
    FieldString("reason", reason);
    EndEvent();
}

void
QuicQlogWriter::PeerAddressChanged(Time now,
                                   const std::string& local,
                                   const std::string& oldRemote,
                                   const std::string& newRemote,
                                   bool portOnly)
{
    if (m_stream == nullptr)
    {
        return;
    }
    BeginEvent(now, "quic_migration:peer_address_changed");
    FieldString("local", local);
    FieldString("old", oldRemote);
    FieldString("new", newRemote);
    FieldLiteral("change", portOnly ? "port_only" : "address");
    EndEvent();
}

void
QuicQlogWriter::ActivePathSwitched(Time now,
                                   const QuicQlogPath& oldPath,
                                   const QuicQlogPath& newPath)
{
    if (m_stream == nullptr)
    {
        return;
    }
    BeginEvent(now, "quic_migration:active_path_switched");
    FieldPath("old", oldPath);
    FieldPath("new", newPath);
    EndEvent();
}

void
QuicQlogWriter::MigrationStarted(Time now,
                                 const QuicQlogPath& oldPath,
                                 const QuicQlogPath& newPath,
                                 const std::string& trigger)
{
    if (m_stream == nullptr)
    {
        return;
    }
    BeginEvent(now, "quic_migration:migration_started");
    FieldPath("old", oldPath);
    FieldPath("new", newPath);
    FieldString("trigger", trigger);
    EndEvent();
}

void
QuicQlogWriter::MigrationCompleted(Time now, const QuicQlogPath& path, std::optional<Time> duration)
{
    if (m_stream == nullptr)
    {
        return;
    }
    BeginEvent(now, "quic_migration:migration_completed");
    FieldPath("path", path);
    if (duration)
    {
        FieldMs("duration", *duration);
    }
    EndEvent();
}

void
QuicQlogWriter::Fallback(Time now,
                         const QuicQlogPath& fromPath,
                         const QuicQlogPath& toPath,
                         const std::string& reason)
{
    if (m_stream == nullptr)
    {
        return;
    }
    BeginEvent(now, "quic_migration:fallback");
    FieldPath("from", fromPath);
    FieldPath("to", toPath);
    FieldString("reason", reason);
    EndEvent();
}

void
QuicQlogWriter::AmplificationLimited(Time now,
                                     const QuicQlogPath& path,
                                     uint64_t bytesReceived,
                                     uint64_t bytesSent,
                                     uint64_t limit,
                                     uint64_t blockedBytes)
{
    if (m_stream == nullptr)
    {
        return;
    }
    BeginEvent(now, "quic_migration:amplification_limited");
    FieldPath("path", path);
    FieldUint("bytes_received", bytesReceived);
    FieldUint("bytes_sent", bytesSent);
    FieldUint("limit", limit);
    FieldUint("blocked_bytes", blockedBytes);
    EndEvent();
}

// --- static helpers ------------------------------------------------------------------------

void
QuicQlogWriter::AppendJsonString(std::string& out, const char* data, size_t length)
{
    out.push_back('"');
    const auto* p = reinterpret_cast<const uint8_t*>(data);
    size_t i = 0;
    while (p != nullptr && i < length)
    {
        const uint8_t c = p[i];
        if (c >= 0x80)
        {
            const size_t n = Utf8SequenceLength(p + i, length - i);
            if (n == 0)
            {
                AppendUnicodeEscape(out, c); // not UTF-8: keep the byte value visible
                ++i;
            }
            else
            {
                out.append(data + i, n);
                i += n;
            }
            continue;
        }
        switch (c)
        {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\b':
            out.append("\\b");
            break;
        case '\f':
            out.append("\\f");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\r':
            out.append("\\r");
            break;
        case '\t':
            out.append("\\t");
            break;
        default:
            if (c < 0x20 || c == 0x7f)
            {
                AppendUnicodeEscape(out, c);
            }
            else
            {
                out.push_back(static_cast<char>(c));
            }
            break;
        }
        ++i;
    }
    out.push_back('"');
}

void
QuicQlogWriter::AppendJsonString(std::string& out, const std::string& s)
{
    AppendJsonString(out, s.data(), s.size());
}

void
QuicQlogWriter::AppendMilliseconds(std::string& out, Time t)
{
    const int64_t ns = t.GetNanoSeconds();
    const bool negative = ns < 0;
    // Magnitude in unsigned arithmetic, so that INT64_MIN does not overflow.
    const uint64_t magnitude =
        negative ? uint64_t{0} - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
    const uint64_t us = magnitude / 1000 + (magnitude % 1000 >= 500 ? 1 : 0);
    if (negative && us != 0)
    {
        out.push_back('-');
    }
    AppendUint(out, us / 1000);
    uint64_t fraction = us % 1000;
    if (fraction != 0)
    {
        char digits[3] = {static_cast<char>('0' + fraction / 100),
                          static_cast<char>('0' + (fraction / 10) % 10),
                          static_cast<char>('0' + fraction % 10)};
        size_t n = 3;
        while (digits[n - 1] == '0')
        {
            --n;
        }
        out.push_back('.');
        out.append(digits, n);
    }
}

std::string
QuicQlogWriter::FormatAddress(const Address& address)
{
    std::string ip;
    uint16_t port;
    SplitSocketAddress(address, ip, port);
    if (InetSocketAddress::IsMatchingType(address))
    {
        return ip + ":" + std::to_string(port);
    }
    if (Inet6SocketAddress::IsMatchingType(address))
    {
        return "[" + ip + "]:" + std::to_string(port);
    }
    return ip;
}

const char*
QuicQlogWriter::TransportErrorQlogName(uint64_t code)
{
    constexpr size_t count = sizeof(TRANSPORT_ERROR_NAMES) / sizeof(TRANSPORT_ERROR_NAMES[0]);
    return code < count ? TRANSPORT_ERROR_NAMES[code] : nullptr;
}

} // namespace ns3
