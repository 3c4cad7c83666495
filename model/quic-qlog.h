/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_QLOG_H
#define QUIC_QLOG_H

#include "quic-connection-id.h"
#include "quic-frame.h"
#include "quic-packet-header.h"
#include "quic-packet-number.h"

#include "ns3/nstime.h"
#include "ns3/simple-ref-count.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{

class Address;

/**
 * \ingroup quic-migration
 * \brief Which end of the connection a qlog trace is written from (main schema VantagePoint).
 */
enum class QuicQlogVantagePoint : uint8_t
{
    CLIENT, ///< "client"
    SERVER, ///< "server"
};

/**
 * \ingroup quic-migration
 * \brief qlog Owner: which side a value belongs to ("local" / "remote").
 */
enum class QuicQlogOwner : uint8_t
{
    LOCAL,  ///< "local"
    REMOTE, ///< "remote"
};

/**
 * \ingroup quic-migration
 * \brief Trigger of transport:packet_sent / transport:packet_received
 * (draft-ietf-quic-qlog-quic-events-03). NONE writes no "trigger" field.
 */
enum class QuicQlogPacketTrigger : uint8_t
{
    NONE,                 ///< no trigger field
    RETRANSMIT_REORDERED, ///< "retransmit_reordered" (sent)
    RETRANSMIT_TIMEOUT,   ///< "retransmit_timeout" (sent)
    PTO_PROBE,            ///< "pto_probe" (sent)
    RETRANSMIT_CRYPTO,    ///< "retransmit_crypto" (sent)
    CC_BANDWIDTH_PROBE,   ///< "cc_bandwidth_probe" (sent)
    KEYS_AVAILABLE,       ///< "keys_available" (received after buffering)
};

/**
 * \ingroup quic-migration
 * \brief Trigger of transport:packet_dropped (quic-events-03 list, plus "general" from
 * later drafts).
 */
enum class QuicQlogDropTrigger : uint8_t
{
    KEY_UNAVAILABLE,                 ///< "key_unavailable"
    UNKNOWN_CONNECTION_ID,           ///< "unknown_connection_id"
    HEADER_PARSE_ERROR,              ///< "header_parse_error"
    PAYLOAD_DECRYPT_ERROR,           ///< "payload_decrypt_error"
    PROTOCOL_VIOLATION,              ///< "protocol_violation"
    DOS_PREVENTION,                  ///< "dos_prevention"
    UNSUPPORTED_VERSION,             ///< "unsupported_version"
    UNEXPECTED_PACKET,               ///< "unexpected_packet"
    UNEXPECTED_SOURCE_CONNECTION_ID, ///< "unexpected_source_connection_id"
    UNEXPECTED_VERSION,              ///< "unexpected_version"
    DUPLICATE,                       ///< "duplicate"
    INVALID_INITIAL,                 ///< "invalid_initial"
    GENERAL,                         ///< "general"
};

/**
 * \ingroup quic-migration
 * \brief Trigger of recovery:packet_lost (quic-events-03).
 */
enum class QuicQlogLossTrigger : uint8_t
{
    REORDERING_THRESHOLD, ///< "reordering_threshold"
    TIME_THRESHOLD,       ///< "time_threshold"
    PTO_EXPIRED,          ///< "pto_expired"
};

/**
 * \ingroup quic-migration
 * \brief Congestion-controller states of RFC 9002 NewReno as qlog names (quic-events-03).
 */
enum class QuicQlogCongestionState : uint8_t
{
    SLOW_START,           ///< "slow_start"
    CONGESTION_AVOIDANCE, ///< "congestion_avoidance"
    APPLICATION_LIMITED,  ///< "application_limited"
    RECOVERY,             ///< "recovery"
};

/**
 * \ingroup quic-migration
 * \brief Trigger of recovery:congestion_state_updated. NONE writes no "trigger" field.
 */
enum class QuicQlogCongestionTrigger : uint8_t
{
    NONE,                  ///< no trigger field
    PERSISTENT_CONGESTION, ///< "persistent_congestion"
    ECN,                   ///< "ECN"
};

/**
 * \ingroup quic-migration
 * \brief Connection states of connectivity:connection_state_updated (quic-events-03).
 */
enum class QuicQlogConnectionState : uint8_t
{
    ATTEMPTED,           ///< "attempted"
    PEER_VALIDATED,      ///< "peer_validated"
    HANDSHAKE_STARTED,   ///< "handshake_started"
    EARLY_WRITE,         ///< "early_write"
    HANDSHAKE_COMPLETE,  ///< "handshake_complete"
    HANDSHAKE_CONFIRMED, ///< "handshake_confirmed"
    CLOSING,             ///< "closing"
    DRAINING,            ///< "draining"
    CLOSED,              ///< "closed"
};

/**
 * \ingroup quic-migration
 * \brief Trigger of connectivity:connection_closed (quic-events-03).
 */
enum class QuicQlogCloseTrigger : uint8_t
{
    NONE,              ///< no trigger field
    CLEAN,             ///< "clean"
    HANDSHAKE_TIMEOUT, ///< "handshake_timeout"
    IDLE_TIMEOUT,      ///< "idle_timeout"
    ERROR,             ///< "error" (immediate close)
    STATELESS_RESET,   ///< "stateless_reset"
    VERSION_MISMATCH,  ///< "version_mismatch"
    APPLICATION,       ///< "application"
};

/**
 * \ingroup quic-migration
 * \brief Key types of security:key_updated / security:key_discarded (quic-events-03).
 */
enum class QuicQlogKeyType : uint8_t
{
    SERVER_INITIAL_SECRET,   ///< "server_initial_secret"
    CLIENT_INITIAL_SECRET,   ///< "client_initial_secret"
    SERVER_HANDSHAKE_SECRET, ///< "server_handshake_secret"
    CLIENT_HANDSHAKE_SECRET, ///< "client_handshake_secret"
    SERVER_0RTT_SECRET,      ///< "server_0rtt_secret"
    CLIENT_0RTT_SECRET,      ///< "client_0rtt_secret"
    SERVER_1RTT_SECRET,      ///< "server_1rtt_secret"
    CLIENT_1RTT_SECRET,      ///< "client_1rtt_secret"
};

/**
 * \ingroup quic-migration
 * \brief Trigger of the security events (quic-events-03).
 */
enum class QuicQlogKeyTrigger : uint8_t
{
    TLS,           ///< "tls": keys derived by the handshake
    REMOTE_UPDATE, ///< "remote_update": key update started by the peer
    LOCAL_UPDATE,  ///< "local_update": key update started locally
};

/**
 * \ingroup quic-migration
 * \brief What the header of transport:packet_sent / packet_received says about one packet.
 *
 * A plain value without heap memory: fill one per packet on the stack. Optional fields that
 * are not set are not written. Lengths go to the "raw" object: m_length is the packet's size
 * on the wire (header, payload and AEAD tag), m_payloadLength the size of its frames.
 */
struct QuicQlogPacketHeader
{
    QuicPacketType m_type{QuicPacketType::ONE_RTT}; //!< header.packet_type
    /// header.packet_number (absent for Retry and Version Negotiation)
    std::optional<uint64_t> m_packetNumber;
    std::optional<QuicConnectionId> m_dcid;  //!< header.dcid (hex); absent: not written
    std::optional<QuicConnectionId> m_scid;  //!< header.scid (hex, long headers)
    std::optional<uint32_t> m_version;       //!< header.version (8 hex digits, long headers)
    std::optional<uint64_t> m_length;        //!< raw.length: bytes of the packet
    std::optional<uint64_t> m_payloadLength; //!< raw.payload_length: bytes of the frames
    std::optional<uint32_t> m_datagramId;    //!< datagram_id (ties coalesced packets together)
    bool m_isCoalesced{false};               //!< is_coalesced (written only when true)
    QuicQlogPacketTrigger m_trigger{QuicQlogPacketTrigger::NONE}; //!< trigger

    /**
     * \brief Fill type, packet number, CIDs and version from a parsed or built header.
     *
     * The packet number is set for the types that carry one; the version and the Source CID
     * for long headers only (a short header has neither).
     * \param header the packet header
     * \param packetNumber the full (decoded) packet number
     * \return the qlog header (lengths not set)
     */
    static QuicQlogPacketHeader FromHeader(const QuicPacketHeader& header, uint64_t packetNumber);
};

/**
 * \ingroup quic-migration
 * \brief Values of one recovery:metrics_updated event; only the fields that are set are written.
 */
struct QuicQlogMetrics
{
    std::optional<Time> m_minRtt;               //!< min_rtt (ms)
    std::optional<Time> m_smoothedRtt;          //!< smoothed_rtt (ms)
    std::optional<Time> m_latestRtt;            //!< latest_rtt (ms)
    std::optional<Time> m_rttVariance;          //!< rtt_variance (ms)
    std::optional<uint32_t> m_ptoCount;         //!< pto_count
    std::optional<uint64_t> m_congestionWindow; //!< congestion_window (bytes)
    std::optional<uint64_t> m_bytesInFlight;    //!< bytes_in_flight (bytes)
    std::optional<uint64_t> m_ssthresh;         //!< ssthresh (bytes)
    std::optional<uint64_t> m_packetsInFlight;  //!< packets_in_flight
    std::optional<uint64_t> m_pacingRate;       //!< pacing_rate (bits per second)

    /// \return true if no field is set (the writer then writes nothing)
    bool IsEmpty() const;
};

/**
 * \ingroup quic-migration
 * \brief Data of connectivity:connection_closed; only the fields that are set are written.
 */
struct QuicQlogConnectionClose
{
    std::optional<QuicQlogOwner> m_owner; //!< owner: which side closed the connection
    /// connection_code: a transport error code, written by name ("protocol_violation",
    /// "crypto_error_0x12a") when it has one, else as a number
    std::optional<uint64_t> m_connectionCode;
    std::optional<uint64_t> m_applicationCode;                  //!< application_code (number)
    std::optional<uint64_t> m_internalCode;                     //!< internal_code (number)
    std::optional<std::string> m_reason;                        //!< reason (any bytes; escaped)
    QuicQlogCloseTrigger m_trigger{QuicQlogCloseTrigger::NONE}; //!< trigger
};

/**
 * \ingroup quic-migration
 * \brief One name/value pair of transport:parameters_set.
 *
 * The writer does not depend on the transport-parameter codec: the connection lists what it
 * wants logged, e.g. QuicQlogParameter::Uint("initial_max_data", 1048576). Names are
 * written escaped, so any string is safe.
 */
struct QuicQlogParameter
{
    /// How the value is written.
    enum class Kind : uint8_t
    {
        UINT,   ///< JSON number from m_uint
        BOOL,   ///< true / false from m_bool
        STRING, ///< JSON string from m_string (escaped)
        HEX,    ///< JSON string of lower-case hex digits of the bytes in m_string
    };

    std::string m_name;      //!< field name, e.g. "max_idle_timeout"
    Kind m_kind{Kind::UINT}; //!< value kind
    uint64_t m_uint{0};      //!< value for UINT
    bool m_bool{false};      //!< value for BOOL
    std::string m_string;    //!< value for STRING; raw bytes for HEX

    /// \param name field name \param value number \return the pair
    static QuicQlogParameter Uint(const std::string& name, uint64_t value);
    /// \param name field name \param value flag \return the pair
    static QuicQlogParameter Bool(const std::string& name, bool value);
    /// \param name field name \param value text (escaped when written) \return the pair
    static QuicQlogParameter String(const std::string& name, const std::string& value);
    /**
     * \param name field name
     * \param data bytes written as hex (e.g. a stateless reset token)
     * \param length byte count
     * \return the pair
     */
    static QuicQlogParameter Hex(const std::string& name, const uint8_t* data, size_t length);
    /// \param name field name \param cid connection ID, written as hex \return the pair
    static QuicQlogParameter Cid(const std::string& name, const QuicConnectionId& cid);
};

/**
 * \ingroup quic-migration
 * \brief A network path for the module's migration events: the local and remote socket
 * addresses as "ip:port" strings ("[v6]:port" for IPv6), and an optional path identifier.
 * QuicQlogWriter::FormatAddress() turns an ns-3 socket address into such a string.
 */
struct QuicQlogPath
{
    std::string m_local;              //!< local address, "10.1.1.1:49153"
    std::string m_remote;             //!< remote address, "10.2.2.2:443"
    std::optional<uint64_t> m_pathId; //!< connection-local path number, if the caller has one
};

/**
 * \ingroup quic-migration
 * \brief Writes one connection's qlog trace: qlog 0.3, JSON-SEQ serialization.
 *
 * <b>What is written.</b> A file of RFC 7464 JSON text sequences, the format quiche and
 * quic-go write and qvis (https://qvis.quictools.info) reads: every record is the ASCII
 * Record Separator 0x1E, one compact JSON object, and a line feed. The first record is the
 * header of draft-ietf-quic-qlog-main-schema-03/-04 (QlogFileSeq):
 *
 * \code
 * {"qlog_version":"0.3","qlog_format":"JSON-SEQ","title":"...",
 *  "trace":{"vantage_point":{"name":"...","type":"client"},
 *           "common_fields":{"ODCID":"<hex>","group_id":"<hex>","reference_time":<ms>,
 *                            "time_format":"relative","protocol_type":["QUIC"]}}}
 * \endcode
 *
 * "ODCID" is what quic-go writes, "group_id" what the draft recommends (both the Original
 * Destination CID). Every further record is one event {"time":<ms>,"name":"<category>:<type>",
 * "data":{...}} with the time relative to the reference time given to Open(), in milliseconds
 * with microsecond precision. Event and field names follow draft-ietf-quic-qlog-quic-events-03
 * (qlog 0.3): see each method for its event name and fields. Events of the module that the
 * draft does not define (path validation and migration; the draft's "MIGRATION-related
 * events" section is a TODO) use the separate category "quic_migration:", documented at each
 * method, so no tool mistakes them for standard events.
 *
 * <b>Determinism and cost.</b> Records are formatted by hand into one reusable std::string
 * buffer: integers in decimal, times as fixed-point milliseconds from the integer nanoseconds
 * of ns3::Time (no floating point, no locale), connection IDs and tokens in lower-case hex.
 * The same calls give a byte-identical file. After the buffer has grown to its working size,
 * writing a packet event allocates nothing. The buffer goes to the file when it passes
 * FLUSH_THRESHOLD bytes, on Flush() and on Close() (the destructor closes). When no trace is
 * open every method returns at its first line, so a connection may own a writer
 * unconditionally, or (cheaper still) hold a null pointer while qlog is disabled and guard
 * the argument building with IsOpen().
 *
 * <b>Packets.</b> A packet event is either one call with an array of frames (PacketSent(),
 * PacketReceived()), or BeginPacketSent()/BeginPacketReceived(), one AddFrame() per frame as
 * the packet is built or parsed, and EndPacket(). Any other event call, Flush() or Close()
 * ends an open packet first, so records are always complete. Every RFC 9000 frame type is
 * encoded (see AddFrame()); unknown types are logged as "unknown" with raw_frame_type.
 *
 * <b>Hostile input.</b> Reason phrases and tokens come from the network: strings are escaped
 * by AppendJsonString(), which keeps valid UTF-8, escapes quotes, backslashes and control
 * characters, and turns every byte that is not part of valid UTF-8 into \\u00XX. The output is
 * valid JSON whatever the bytes. An unwritable file makes Open() return false with a message
 * in GetLastError(); a failing stream stops the trace; neither aborts the simulation.
 *
 * <b>Left out.</b> Keys and secrets (security events carry the key type, not "old"/"new");
 * packet header flags, token and Length fields; supported_versions of Version Negotiation
 * packets and stateless_reset packets; per-frame raw lengths; preferred_address in
 * parameters_set (log its parts as separate parameters); the events transport:
 * version_information, alpn_information, parameters_restored, packet_buffered,
 * datagrams_sent/received, datagram_dropped, stream_state_updated, frames_processed,
 * data_moved, connectivity:server_listening, mtu_updated, recovery:parameters_set,
 * loss_timer_updated and marked_for_retransmit; the single-JSON ("JSON") serialization and
 * qlog 0.4+ field names.
 */
class QuicQlogWriter : public SimpleRefCount<QuicQlogWriter>
{
  public:
    /// Buffered bytes above which an event is followed by a write to the stream.
    static constexpr size_t FLUSH_THRESHOLD = 64 * 1024;

    QuicQlogWriter();
    /// Closes the trace (flushing it) if it is open.
    ~QuicQlogWriter();

    QuicQlogWriter(const QuicQlogWriter&) = delete;
    QuicQlogWriter& operator=(const QuicQlogWriter&) = delete;

    /**
     * \brief Create (truncate) a file and write the header record.
     *
     * A trace already open is closed first.
     * \param path the file name
     * \param vantagePoint client or server
     * \param title the file's "title"
     * \param odcid the Original Destination Connection ID (ODCID and group_id)
     * \param referenceTime simulation time that event times are relative to
     * \param name vantage_point.name (omitted when empty)
     * \return false, with the reason in GetLastError(), if the file cannot be opened
     */
    bool Open(const std::string& path,
              QuicQlogVantagePoint vantagePoint,
              const std::string& title,
              const QuicConnectionId& odcid,
              Time referenceTime,
              const std::string& name = "");

    /**
     * \brief Write the trace to a caller-owned stream (which must outlive the trace).
     * \param stream the stream (null: returns false)
     * \param vantagePoint client or server
     * \param title the file's "title"
     * \param odcid the Original Destination Connection ID
     * \param referenceTime simulation time that event times are relative to
     * \param name vantage_point.name (omitted when empty)
     * \return false, with the reason in GetLastError(), if the stream is null or failed
     */
    bool Open(std::ostream* stream,
              QuicQlogVantagePoint vantagePoint,
              const std::string& title,
              const QuicConnectionId& odcid,
              Time referenceTime,
              const std::string& name = "");

    /// \brief End an open packet, write the buffer out, and close the file (if owned).
    void Close();

    /// \brief End an open packet and write the buffer to the stream (and flush the stream).
    void Flush();

    /// \return true between a successful Open() and Close() (false after a write error)
    bool IsOpen() const;

    /// \return why Open() failed or the trace stopped ("" if it did not)
    const std::string& GetLastError() const;

    /// \return events written since Open() (the header not counted)
    uint64_t GetEventCount() const;

    /// \return the reference time given to Open()
    Time GetReferenceTime() const;

    // --- transport ---------------------------------------------------------------------

    /**
     * \brief transport:packet_sent with all its frames.
     *
     * data: {"header":{"packet_type","packet_number","version","dcid","scid"},
     * "is_coalesced","datagram_id","raw":{"length","payload_length"},"frames":[...],"trigger"}.
     * \param now simulation time
     * \param header the packet
     * \param frames the frames (may be null when count is 0)
     * \param count number of frames
     * \param ackDelay ACK Delay of any ACK frame, already scaled by the exponent
     */
    void PacketSent(Time now,
                    const QuicQlogPacketHeader& header,
                    const QuicFrame* frames,
                    size_t count,
                    Time ackDelay = Time(0));

    /**
     * \brief transport:packet_received with all its frames; fields as PacketSent().
     * \param now simulation time
     * \param header the packet
     * \param frames the frames (may be null when count is 0)
     * \param count number of frames
     * \param ackDelay ACK Delay of any ACK frame, already scaled by the peer's exponent
     */
    void PacketReceived(Time now,
                        const QuicQlogPacketHeader& header,
                        const QuicFrame* frames,
                        size_t count,
                        Time ackDelay = Time(0));

    /**
     * \brief Start a transport:packet_sent record whose frames follow through AddFrame().
     * \param now simulation time
     * \param header the packet
     */
    void BeginPacketSent(Time now, const QuicQlogPacketHeader& header);

    /**
     * \brief Start a transport:packet_received record whose frames follow through AddFrame().
     * \param now simulation time
     * \param header the packet
     */
    void BeginPacketReceived(Time now, const QuicQlogPacketHeader& header);

    /**
     * \brief Append one frame to the packet started by BeginPacketSent/Received().
     *
     * Ignored when no packet is open. Fields written per frame_type:
     * padding {length, payload_length}; ping {}; ack {ack_delay (ms), acked_ranges
     * [[smallest,largest],...] ascending, [n] for a single packet, ect0/ect1/ce for ACK_ECN};
     * reset_stream {stream_id, error_code, final_size}; stop_sending {stream_id, error_code};
     * crypto {offset, length}; new_token {token: {length, data}}; stream {stream_id, offset,
     * length, fin (only when set)}; max_data {maximum}; max_stream_data {stream_id, maximum};
     * max_streams {stream_type, maximum}; data_blocked {limit}; stream_data_blocked
     * {stream_id, limit}; streams_blocked {stream_type, limit}; new_connection_id
     * {sequence_number, retire_prior_to, connection_id_length, connection_id,
     * stateless_reset_token}; retire_connection_id {sequence_number}; path_challenge and
     * path_response {data}; connection_close {error_space, error_code (name for transport
     * errors that have one, else number), raw_error_code, reason, trigger_frame_type (frame
     * name, or number for unknown types; transport errors only, omitted when the Frame Type
     * field is 0, which RFC 9000 §19.19 uses for "unknown")}; handshake_done {};
     * unknown {raw_frame_type}.
     * \param frame the frame
     * \param ackDelay for an ACK frame: its ACK Delay, already scaled by the exponent
     */
    void AddFrame(const QuicFrame& frame, Time ackDelay = Time(0));

    /// \brief Close the frame list and write the packet record (no-op without an open packet).
    void EndPacket();

    /**
     * \brief transport:packet_dropped.
     *
     * data: {"header":{"packet_type"} (when known),"raw":{"length"},"trigger"}.
     * \param now simulation time
     * \param type the packet type, if it could be read
     * \param rawLength bytes dropped
     * \param trigger why
     */
    void PacketDropped(Time now,
                       std::optional<QuicPacketType> type,
                       uint64_t rawLength,
                       QuicQlogDropTrigger trigger);

    /**
     * \brief transport:packets_acked: packets acknowledged for the first time.
     *
     * data: {"packet_number_space":"initial"|"handshake"|"application_data",
     * "packet_numbers":[...]}.
     * \param now simulation time
     * \param space the packet number space
     * \param packetNumbers the packet numbers
     * \param count how many
     */
    void PacketsAcked(Time now,
                      QuicPacketNumberSpace space,
                      const uint64_t* packetNumbers,
                      size_t count);

    /**
     * \brief transport:parameters_set.
     *
     * data: {"owner", then one field per parameter in the given order}.
     * \param now simulation time
     * \param owner local (our parameters) or remote (the peer's)
     * \param parameters the values to write
     */
    void ParametersSet(Time now,
                       QuicQlogOwner owner,
                       const std::vector<QuicQlogParameter>& parameters);

    // --- connectivity ------------------------------------------------------------------

    /**
     * \brief connectivity:connection_started.
     *
     * data: {"ip_version":"v4"|"v6" (v6 when the address holds a ':'),"src_ip","dst_ip",
     * "protocol":"QUIC","src_port","dst_port","src_cid","dst_cid"}.
     * \param now simulation time
     * \param srcIp local IP address as text
     * \param srcPort local UDP port
     * \param dstIp remote IP address as text
     * \param dstPort remote UDP port
     * \param srcCid our Source Connection ID
     * \param dstCid the Destination Connection ID we use
     */
    void ConnectionStarted(Time now,
                           const std::string& srcIp,
                           uint16_t srcPort,
                           const std::string& dstIp,
                           uint16_t dstPort,
                           const QuicConnectionId& srcCid,
                           const QuicConnectionId& dstCid);

    /**
     * \brief connectivity:connection_started from ns-3 socket addresses
     * (InetSocketAddress or Inet6SocketAddress; other kinds are written as their printout
     * with port 0).
     * \param now simulation time
     * \param local our socket address
     * \param remote the peer's socket address
     * \param srcCid our Source Connection ID
     * \param dstCid the Destination Connection ID we use
     */
    void ConnectionStarted(Time now,
                           const Address& local,
                           const Address& remote,
                           const QuicConnectionId& srcCid,
                           const QuicConnectionId& dstCid);

    /**
     * \brief connectivity:connection_state_updated. data: {"old" (if given),"new"}.
     * \param now simulation time
     * \param oldState previous state, if to be logged
     * \param newState new state
     */
    void ConnectionStateUpdated(Time now,
                                std::optional<QuicQlogConnectionState> oldState,
                                QuicQlogConnectionState newState);

    /**
     * \brief connectivity:connection_closed.
     *
     * data: {"owner","connection_code","application_code","internal_code","reason",
     * "trigger"}, each when set.
     * \param now simulation time
     * \param close what to write
     */
    void ConnectionClosed(Time now, const QuicQlogConnectionClose& close);

    /**
     * \brief connectivity:connection_id_updated. data: {"owner","old","new"} (hex).
     * \param now simulation time
     * \param owner local (our CID changed) or remote (the peer's CID we send to)
     * \param oldCid previous CID, if known
     * \param newCid new CID, if known
     */
    void ConnectionIdUpdated(Time now,
                             QuicQlogOwner owner,
                             std::optional<QuicConnectionId> oldCid,
                             std::optional<QuicConnectionId> newCid);

    /**
     * \brief connectivity:spin_bit_updated. data: {"state"}.
     * \param now simulation time
     * \param state the new spin bit value
     */
    void SpinBitUpdated(Time now, bool state);

    // --- security ----------------------------------------------------------------------

    /**
     * \brief security:key_updated. data: {"key_type","generation" (if given),"trigger"}.
     * \param now simulation time
     * \param keyType which secret
     * \param trigger why
     * \param generation key phase generation (1-RTT key updates), if any
     */
    void KeyUpdated(Time now,
                    QuicQlogKeyType keyType,
                    QuicQlogKeyTrigger trigger,
                    std::optional<uint32_t> generation = std::nullopt);

    /**
     * \brief security:key_discarded. data: as KeyUpdated().
     * \param now simulation time
     * \param keyType which secret
     * \param trigger why
     * \param generation key phase generation, if any
     */
    void KeyDiscarded(Time now,
                      QuicQlogKeyType keyType,
                      QuicQlogKeyTrigger trigger,
                      std::optional<uint32_t> generation = std::nullopt);

    // --- recovery ----------------------------------------------------------------------

    /**
     * \brief recovery:metrics_updated with the fields that are set (nothing if none is).
     *
     * data: {"min_rtt","smoothed_rtt","latest_rtt","rtt_variance" (ms),"pto_count",
     * "congestion_window","bytes_in_flight","ssthresh","packets_in_flight","pacing_rate"}.
     * \param now simulation time
     * \param metrics the values
     */
    void MetricsUpdated(Time now, const QuicQlogMetrics& metrics);

    /**
     * \brief recovery:packet_lost. data: {"header":{"packet_type","packet_number"},"trigger"}.
     * \param now simulation time
     * \param type packet type
     * \param packetNumber packet number
     * \param trigger which loss rule declared it lost
     */
    void PacketLost(Time now,
                    QuicPacketType type,
                    uint64_t packetNumber,
                    QuicQlogLossTrigger trigger);

    /**
     * \brief recovery:congestion_state_updated. data: {"old" (if given),"new","trigger"}.
     * \param now simulation time
     * \param oldState previous state, if to be logged
     * \param newState new state
     * \param trigger why (NONE: not written)
     */
    void CongestionStateUpdated(
        Time now,
        std::optional<QuicQlogCongestionState> oldState,
        QuicQlogCongestionState newState,
        QuicQlogCongestionTrigger trigger = QuicQlogCongestionTrigger::NONE);

    // --- quic_migration (module-specific category) --------------------------------------

    /**
     * \brief quic_migration:path_challenge_sent. data: {"path":{"local","remote","path_id"},
     * "data":"<16 hex digits>"}.
     * \param now simulation time
     * \param path the path probed
     * \param data the 8 bytes of the PATH_CHALLENGE
     */
    void PathChallengeSent(Time now,
                           const QuicQlogPath& path,
                           const uint8_t (&data)[QuicFrame::PATH_DATA_LENGTH]);

    /**
     * \brief quic_migration:path_challenge_received. data: as PathChallengeSent().
     * \param now simulation time
     * \param path the path it arrived on
     * \param data the 8 bytes of the PATH_CHALLENGE
     */
    void PathChallengeReceived(Time now,
                               const QuicQlogPath& path,
                               const uint8_t (&data)[QuicFrame::PATH_DATA_LENGTH]);

    /**
     * \brief quic_migration:path_response_sent. data: as PathChallengeSent().
     * \param now simulation time
     * \param path the path it is sent on
     * \param data the 8 bytes echoed
     */
    void PathResponseSent(Time now,
                          const QuicQlogPath& path,
                          const uint8_t (&data)[QuicFrame::PATH_DATA_LENGTH]);

    /**
     * \brief quic_migration:path_response_received. data: as PathChallengeSent().
     * \param now simulation time
     * \param path the path it arrived on
     * \param data the 8 bytes received
     */
    void PathResponseReceived(Time now,
                              const QuicQlogPath& path,
                              const uint8_t (&data)[QuicFrame::PATH_DATA_LENGTH]);

    /**
     * \brief quic_migration:path_validated. data: {"path":{...},"validation_time" (ms from
     * the first challenge to the matching response, if given)}.
     * \param now simulation time
     * \param path the validated path
     * \param validationTime time the validation took, if known
     */
    void PathValidated(Time now,
                       const QuicQlogPath& path,
                       std::optional<Time> validationTime = std::nullopt);

    /**
     * \brief quic_migration:path_validation_failed. data: {"path":{...},"reason"}.
     * \param now simulation time
     * \param path the path that failed
     * \param reason short cause, e.g. "timeout" (escaped)
     */
    void PathValidationFailed(Time now, const QuicQlogPath& path, const std::string& reason);

    /**
     * \brief quic_migration:peer_address_changed.
     *
     * data: {"local","old","new","change":"port_only"|"address"}: the peer's address as seen
     * on a non-probing packet changed (RFC 9000 §9.3); port_only marks a NAT rebinding that
     * keeps the IP address (§9.4 lets congestion state survive it).
     * \param now simulation time
     * \param local our address the packets arrive on
     * \param oldRemote previous peer address
     * \param newRemote new peer address
     * \param portOnly only the port changed
     */
    void PeerAddressChanged(Time now,
                            const std::string& local,
                            const std::string& oldRemote,
                            const std::string& newRemote,
                            bool portOnly);

    /**
     * \brief quic_migration:active_path_switched. data: {"old":{path},"new":{path}}.
     * \param now simulation time
     * \param oldPath path used until now
     * \param newPath path used from now on
     */
    void ActivePathSwitched(Time now, const QuicQlogPath& oldPath, const QuicQlogPath& newPath);

    /**
     * \brief quic_migration:migration_started. data: {"old":{path},"new":{path},"trigger"}.
     * \param now simulation time
     * \param oldPath current path
     * \param newPath path being migrated to
     * \param trigger short cause, e.g. "local_address_change", "application" (escaped)
     */
    void MigrationStarted(Time now,
                          const QuicQlogPath& oldPath,
                          const QuicQlogPath& newPath,
                          const std::string& trigger);

    /**
     * \brief quic_migration:migration_completed. data: {"path":{...},"duration" (ms, if
     * given)}.
     * \param now simulation time
     * \param path the new active path
     * \param duration time since MigrationStarted, if known
     */
    void MigrationCompleted(Time now,
                            const QuicQlogPath& path,
                            std::optional<Time> duration = std::nullopt);

    /**
     * \brief quic_migration:fallback: return to the last validated path (RFC 9000 §9.3.2).
     * data: {"from":{path},"to":{path},"reason"}.
     * \param now simulation time
     * \param fromPath the path abandoned
     * \param toPath the path returned to
     * \param reason short cause, e.g. "path_validation_failed" (escaped)
     */
    void Fallback(Time now,
                  const QuicQlogPath& fromPath,
                  const QuicQlogPath& toPath,
                  const std::string& reason);

    /**
     * \brief quic_migration:amplification_limited: sending on an unvalidated path stopped at
     * the anti-amplification limit (RFC 9000 §8, §9.3).
     * data: {"path":{...},"bytes_received","bytes_sent","limit","blocked_bytes"}.
     * \param now simulation time
     * \param path the unvalidated path
     * \param bytesReceived bytes received on it
     * \param bytesSent bytes sent on it
     * \param limit the limit (3 x bytesReceived unless configured otherwise)
     * \param blockedBytes size of the datagram that could not be sent
     */
    void AmplificationLimited(Time now,
                              const QuicQlogPath& path,
                              uint64_t bytesReceived,
                              uint64_t bytesSent,
                              uint64_t limit,
                              uint64_t blockedBytes);

    // --- helpers -------------------------------------------------------------------------

    /**
     * \brief Append a JSON string literal (with the quotes) holding arbitrary bytes.
     *
     * Valid UTF-8 sequences are copied; '"' and '\\' are backslash-escaped; control
     * characters use \\b \\f \\n \\r \\t or \\u00XX; DEL and every byte that is not part of a
     * valid UTF-8 sequence (stray continuation bytes, overlong forms, surrogates, values above
     * U+10FFFF, truncated sequences) become \\u00XX. The result is always valid JSON.
     * \param out the string to append to
     * \param data the bytes (may be null when length is 0)
     * \param length byte count
     */
    static void AppendJsonString(std::string& out, const char* data, size_t length);

    /**
     * \brief Convenience overload of AppendJsonString().
     * \param out the string to append to
     * \param s the bytes
     */
    static void AppendJsonString(std::string& out, const std::string& s);

    /**
     * \brief Append a time in milliseconds with microsecond precision, e.g. "12.5", "0.001",
     * "-3" (rounded half away from zero to whole microseconds, trailing zeros dropped).
     * \param out the string to append to
     * \param t the time
     */
    static void AppendMilliseconds(std::string& out, Time t);

    /**
     * \brief "ip:port" text of an ns-3 socket address for the migration events:
     * InetSocketAddress gives "10.1.1.1:443", Inet6SocketAddress "[2001:db8::1]:443"; any
     * other address its ns-3 printout.
     * \param address the address
     * \return the text
     */
    static std::string FormatAddress(const Address& address);

    /**
     * \brief qlog TransportError name of a code: "protocol_violation" etc. (RFC 9000 §20.1,
     * lower case). CRYPTO_ERROR codes have no fixed name (see AddFrame()).
     * \param code the transport error code
     * \return the name, or nullptr if the code has none
     */
    static const char* TransportErrorQlogName(uint64_t code);

  private:
    /// Write the header record (after the stream is set).
    void WriteHeader(QuicQlogVantagePoint vantagePoint,
                     const std::string& title,
                     const QuicConnectionId& odcid,
                     const std::string& name);
    /**
     * \brief Start an event record: RS, "time", "name", and the opening of "data".
     * \param now simulation time
     * \param name the event name
     */
    void BeginEvent(Time now, const char* name);
    /// Close "data" and the record, count it, write out if the buffer is large.
    void EndEvent();
    /**
     * \brief Start a packet_sent / packet_received record up to the frame list.
     * \param now simulation time
     * \param name the event name
     * \param header the packet
     */
    void BeginPacket(Time now, const char* name, const QuicQlogPacketHeader& header);
    /// Write the buffer to the stream and clear it; record a failure.
    void WriteOut();

    /// \param key a field name (no escaping needed) \brief append ,"key": (or "key": first)
    void Key(const char* key);
    /// \param key field name \param value string constant (no escaping needed)
    void FieldLiteral(const char* key, const char* value);
    /// \param key field name \param value number
    void FieldUint(const char* key, uint64_t value);
    /// \param key field name \param value flag
    void FieldBool(const char* key, bool value);
    /// \param key field name \param t a time, written in ms
    void FieldMs(const char* key, Time t);
    /// \param key field name \param data bytes \param length count (written as hex)
    void FieldHex(const char* key, const uint8_t* data, size_t length);
    /// \param key field name \param cid written as hex
    void FieldCid(const char* key, const QuicConnectionId& cid);
    /// \param key field name \param value arbitrary bytes (escaped)
    void FieldString(const char* key, const std::string& value);
    /// \param key field name \param path written as {"local","remote","path_id"}
    void FieldPath(const char* key, const QuicQlogPath& path);
    /// \param key field name \param code transport error: name or number
    void FieldTransportError(const char* key, uint64_t code);
    /// \brief open a JSON object as the next value (after Key() or in an array)
    void OpenObject();
    /// \brief close the innermost JSON object
    void CloseObject();
    /**
     * \brief Write one of the four path challenge/response events.
     * \param now simulation time
     * \param name event name
     * \param path the path
     * \param data the 8 bytes of path data
     */
    void PathDataEvent(Time now,
                       const char* name,
                       const QuicQlogPath& path,
                       const uint8_t (&data)[QuicFrame::PATH_DATA_LENGTH]);
    /**
     * \brief Write security:key_updated or security:key_discarded.
     * \param now simulation time
     * \param name event name
     * \param keyType which secret
     * \param trigger why
     * \param generation key phase generation, if any
     */
    void KeyEvent(Time now,
                  const char* name,
                  QuicQlogKeyType keyType,
                  QuicQlogKeyTrigger trigger,
                  std::optional<uint32_t> generation);

    std::unique_ptr<std::ostream> m_ownedStream; //!< the file, when Open() created it
    std::ostream* m_stream;                      //!< where records go (null: closed)
    std::string m_buffer;                        //!< records not yet written out
    std::string m_lastError;                     //!< why Open() failed or writing stopped
    Time m_referenceTime;                        //!< event times are relative to it
    uint64_t m_eventCount;                       //!< events written
    bool m_needComma;                            //!< the next field needs a leading comma
    bool m_inPacket;                             //!< a packet's frame list is open
    size_t m_framesInPacket;                     //!< frames added to the open packet
};

} // namespace ns3

#endif /* QUIC_QLOG_H */
