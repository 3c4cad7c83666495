/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_TRANSPORT_PARAMETERS_H
#define QUIC_TRANSPORT_PARAMETERS_H

#include "quic-buffer.h"
#include "quic-connection-id.h"
#include "quic-error.h"

#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv6-address.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup quic-migration
 * \brief Identifiers of the transport parameters defined by RFC 9000 §18.2.
 *
 * The wire carries any 62-bit identifier; APIs that accept identifiers read
 * from the network take a plain uint64_t.
 */
enum class QuicTransportParameterId : uint64_t
{
    ORIGINAL_DESTINATION_CONNECTION_ID = 0x00,  ///< server only, raw CID
    MAX_IDLE_TIMEOUT = 0x01,                    ///< integer, milliseconds
    STATELESS_RESET_TOKEN = 0x02,               ///< server only, 16 bytes
    MAX_UDP_PAYLOAD_SIZE = 0x03,                ///< integer, default 65527, >= 1200
    INITIAL_MAX_DATA = 0x04,                    ///< integer
    INITIAL_MAX_STREAM_DATA_BIDI_LOCAL = 0x05,  ///< integer
    INITIAL_MAX_STREAM_DATA_BIDI_REMOTE = 0x06, ///< integer
    INITIAL_MAX_STREAM_DATA_UNI = 0x07,         ///< integer
    INITIAL_MAX_STREAMS_BIDI = 0x08,            ///< integer, <= 2^60
    INITIAL_MAX_STREAMS_UNI = 0x09,             ///< integer, <= 2^60
    ACK_DELAY_EXPONENT = 0x0a,                  ///< integer, default 3, <= 20
    MAX_ACK_DELAY = 0x0b,                       ///< integer, ms, default 25, < 2^14
    DISABLE_ACTIVE_MIGRATION = 0x0c,            ///< zero-length flag
    PREFERRED_ADDRESS = 0x0d,                   ///< server only, 41 + CID length bytes
    ACTIVE_CONNECTION_ID_LIMIT = 0x0e,          ///< integer, default 2, >= 2
    INITIAL_SOURCE_CONNECTION_ID = 0x0f,        ///< raw CID
    RETRY_SOURCE_CONNECTION_ID = 0x10,          ///< server only, raw CID
};

/**
 * \brief The RFC 9000 §18.2 name of a transport parameter.
 *
 * Reserved identifiers (31 * N + 27, §18.1) give "reserved(0x..)"; other
 * identifiers not defined by RFC 9000 give "unknown(0x..)".
 * \param id the identifier (any 62-bit value; it may come from the wire)
 * \return the name, e.g. "active_connection_id_limit"
 */
std::string QuicTransportParameterName(uint64_t id);

/**
 * \brief Convenience overload of QuicTransportParameterName().
 * \param id the identifier
 * \return the name
 */
std::string QuicTransportParameterName(QuicTransportParameterId id);

/**
 * \ingroup quic-migration
 * \brief Value of the preferred_address transport parameter (RFC 9000 §18.2, §9.6).
 *
 * Wire format (41 + CID length bytes):
 * IPv4 Address (4) | IPv4 Port (2) | IPv6 Address (16) | IPv6 Port (2) |
 * Connection ID Length (1) | Connection ID (1..20) | Stateless Reset Token (16).
 *
 * A server may offer only one address family by sending the all-zero address and
 * port (0.0.0.0:0 or [::]:0) for the other one (PA-01). A default-constructed
 * value is all-zero in every field, i.e. offers neither family.
 *
 * The connection ID and token have sequence number 1 (§5.1.1); a zero-length
 * connection ID is forbidden (PA-02) and rejected by the decoder, but the
 * encoder writes whatever it is given so that tests can inject the fault.
 */
struct QuicPreferredAddress
{
    /// Size of the value without the connection ID: 4 + 2 + 16 + 2 + 1 + 16.
    static constexpr size_t FIXED_LENGTH = 41;

    std::array<uint8_t, 4> ipv4Address{};          ///< network byte order
    uint16_t ipv4Port{0};                          ///< IPv4 port
    std::array<uint8_t, 16> ipv6Address{};         ///< network byte order
    uint16_t ipv6Port{0};                          ///< IPv6 port
    QuicConnectionId connectionId;                 ///< CID with sequence number 1
    std::array<uint8_t, 16> statelessResetToken{}; ///< token bound to connectionId

    /**
     * \brief Set the IPv4 address and port. Ipv4Address::GetAny() with port 0
     * withdraws the IPv4 offer.
     * \param address the address
     * \param port the port
     */
    void SetIpv4(const Ipv4Address& address, uint16_t port);

    /// \return the IPv4 address as an ns-3 address (0.0.0.0 when not offered)
    Ipv4Address GetIpv4Address() const;

    /// \return the IPv4 address and port as an ns-3 socket address
    InetSocketAddress GetIpv4SocketAddress() const;

    /**
     * \brief Whether an IPv4 address is offered.
     *
     * §18.2 signals "not offered" with the all-zero address and port. An
     * all-zero address or a zero port alone cannot be a destination either, so
     * both count as "not offered" here.
     * \return true if the IPv4 address and port are both non-zero
     */
    bool HasIpv4() const;

    /**
     * \brief Set the IPv6 address and port. Ipv6Address::GetAny() with port 0
     * withdraws the IPv6 offer.
     * \param address the address
     * \param port the port
     */
    void SetIpv6(const Ipv6Address& address, uint16_t port);

    /// \return the IPv6 address as an ns-3 address (:: when not offered)
    Ipv6Address GetIpv6Address() const;

    /// \return the IPv6 address and port as an ns-3 socket address
    Inet6SocketAddress GetIpv6SocketAddress() const;

    /**
     * \brief Whether an IPv6 address is offered (same rule as HasIpv4()).
     * \return true if the IPv6 address and port are both non-zero
     */
    bool HasIpv6() const;

    /// \return the length of the encoded value: FIXED_LENGTH + connection ID length
    size_t GetEncodedLength() const;

    /**
     * \brief Append the encoded value (without transport parameter ID and Length).
     * \param writer the destination
     */
    void Encode(QuicBufferWriter& writer) const;

    /**
     * \brief Decode a preferred_address value.
     *
     * Fails with TRANSPORT_PARAMETER_ERROR when the value is shorter than 41
     * bytes, when its Connection ID Length exceeds 20, when its size is not
     * 41 + Connection ID Length (TP-06), or when the connection ID is empty
     * (PA-02). Never reads outside [data, data + size).
     * \param data the value bytes
     * \param size their count
     * \param out receives the value; unchanged on failure
     * \param reason receives a short explanation on failure (may be null)
     * \return NO_ERROR or TRANSPORT_PARAMETER_ERROR
     */
    static QuicTransportError Decode(const uint8_t* data,
                                     size_t size,
                                     QuicPreferredAddress& out,
                                     std::string* reason = nullptr);

    /// \param o the other value \return true if every field is equal
    bool operator==(const QuicPreferredAddress& o) const;

    /// \param o the other value \return true if any field differs
    bool operator!=(const QuicPreferredAddress& o) const
    {
        return !(*this == o);
    }
};

/**
 * \brief Print a preferred address, e.g. "v4=192.0.2.1:443 v6=- cid=0a0b".
 * \param os the stream
 * \param pa the value
 * \return the stream
 */
std::ostream& operator<<(std::ostream& os, const QuicPreferredAddress& pa);

/**
 * \ingroup quic-migration
 * \brief Why a transport parameter block was refused: the detail behind a
 * QuicTransportError, for CONNECTION_CLOSE reason phrases and logs.
 */
struct QuicTransportParameterError
{
    /// The error code (NO_ERROR when nothing failed).
    QuicTransportError code{QuicTransportError::NO_ERROR};
    /// Whether parameterId names the offending parameter (false e.g. for a truncated ID).
    bool hasParameterId{false};
    /// Identifier of the offending transport parameter.
    uint64_t parameterId{0};
    /// Offset in the block of the start of the offending parameter.
    size_t offset{0};
    /// Short human-readable reason, e.g. "active_connection_id_limit 1 is below 2".
    std::string reason;
};

/**
 * \ingroup quic-migration
 * \brief Connection IDs an endpoint saw in packet headers during the handshake,
 * to be checked against the peer's transport parameters (RFC 9000 §7.3, CID-18).
 *
 * The fields marked "client only" are used when validating the server's
 * parameters and ignored otherwise.
 */
struct QuicHandshakeConnectionIds
{
    /// Source Connection ID of the first Initial packet received from the peer;
    /// must equal the peer's initial_source_connection_id.
    QuicConnectionId peerInitialSourceCid;
    /// Client only: Destination Connection ID of the client's first Initial packet
    /// (before any Retry); must equal the server's original_destination_connection_id.
    QuicConnectionId originalDestinationCid;
    /// Client only: whether the client processed a Retry packet.
    bool retryReceived{false};
    /// Client only: Source Connection ID of that Retry packet; must equal the
    /// server's retry_source_connection_id.
    QuicConnectionId retrySourceCid;
};

/**
 * \ingroup quic-migration
 * \brief The QUIC transport parameters of one endpoint (RFC 9000 §7.4, §18).
 *
 * A value type holding every parameter defined by RFC 9000 §18.2 together with
 * a presence flag per parameter. Getters of integer parameters return the RFC
 * default when the parameter is absent (e.g. active_connection_id_limit reads 2,
 * max_udp_payload_size 65527, ack_delay_exponent 3, max_ack_delay 25 ms, all
 * other integers 0), so absence and an explicit default behave the same.
 * Setting a parameter marks it present; Remove() marks it absent again.
 *
 * Encode() writes the extension body of the quic_transport_parameters TLS
 * extension: a sequence of ID (varint) | Length (varint) | Value, each present
 * parameter exactly once, in ascending ID order, optionally preceded by one
 * reserved "GREASE" parameter with ID 31 * N + 27 (§18.1, TP-01). Setters and
 * the encoder do not enforce value ranges: a test may encode invalid values to
 * exercise a peer's checks. Validate() tells whether the values are valid.
 *
 * Decode() parses and validates a received block (TP-01 .. TP-07, PA-02):
 * every violation is a TRANSPORT_PARAMETER_ERROR, with a QuicTransportParameterError
 * that names the parameter and the reason. Unknown and reserved identifiers are
 * skipped. Decode() never reads outside the buffer and never aborts.
 *
 * Left to the connection layer: the presence of initial_source_connection_id
 * and original_destination_connection_id and their agreement with packet
 * headers (§7.3, CID-18); ValidateConnectionIds() implements that check given
 * the header values. Not modelled: remembering parameters for 0-RTT (§7.4.1)
 * and parameters defined by extensions (they are skipped as unknown).
 */
class QuicTransportParameters
{
  public:
    /// Length of a stateless reset token (RFC 9000 §10.3).
    static constexpr size_t STATELESS_RESET_TOKEN_LENGTH = 16;
    /// A stateless reset token.
    using StatelessResetToken = std::array<uint8_t, STATELESS_RESET_TOKEN_LENGTH>;

    /// Default max_udp_payload_size (§18.2): the largest UDP payload.
    static constexpr uint64_t DEFAULT_MAX_UDP_PAYLOAD_SIZE = 65527;
    /// Smallest valid max_udp_payload_size (§18.2).
    static constexpr uint64_t MIN_MAX_UDP_PAYLOAD_SIZE = 1200;
    /// Default ack_delay_exponent (§18.2).
    static constexpr uint64_t DEFAULT_ACK_DELAY_EXPONENT = 3;
    /// Largest valid ack_delay_exponent (§18.2).
    static constexpr uint64_t MAX_ACK_DELAY_EXPONENT = 20;
    /// Default max_ack_delay in milliseconds (§18.2).
    static constexpr uint64_t DEFAULT_MAX_ACK_DELAY = 25;
    /// Values of max_ack_delay from 2^14 up are invalid (§18.2).
    static constexpr uint64_t MAX_ACK_DELAY_LIMIT = 1ULL << 14;
    /// Default and smallest valid active_connection_id_limit (§18.2).
    static constexpr uint64_t DEFAULT_ACTIVE_CONNECTION_ID_LIMIT = 2;
    /// Largest valid initial_max_streams_bidi/uni (§4.6): 2^60.
    static constexpr uint64_t MAX_STREAMS_LIMIT = 1ULL << 60;
    /// Largest N whose reserved identifier 31 * N + 27 fits in a varint.
    static constexpr uint64_t MAX_RESERVED_N = (QUIC_VARINT_MAX - 27) / 31;

    /// All parameters absent (every getter returns the RFC default).
    QuicTransportParameters();

    /**
     * \brief Whether an identifier is reserved for GREASE (31 * N + 27, §18.1).
     * \param id the identifier
     * \return true for 27, 58, 89, ...
     */
    static bool IsReservedId(uint64_t id);

    /**
     * \brief The reserved identifier 31 * N + 27.
     * \param n N (at most MAX_RESERVED_N)
     * \return the identifier; 27 if n > MAX_RESERVED_N
     */
    static uint64_t GetReservedId(uint64_t n);

    /**
     * \brief Whether a parameter is present.
     * \param id the identifier
     * \return true if it has been set or decoded
     */
    bool Has(QuicTransportParameterId id) const;

    /**
     * \brief Mark a parameter absent; getters then return its default.
     * \param id the identifier
     */
    void Remove(QuicTransportParameterId id);

    /**
     * \brief Set an integer-valued parameter (0x01, 0x03-0x0b, 0x0e) and mark it present.
     * \param id the identifier
     * \param value the value (need not be valid; see Validate())
     * \return false, changing nothing, if id is not integer-valued or value > 2^62-1
     */
    bool SetInteger(QuicTransportParameterId id, uint64_t value);

    /**
     * \brief Value of an integer-valued parameter, or its default when absent.
     * \param id the identifier
     * \return the value; 0 for identifiers that are not integer-valued
     */
    uint64_t GetInteger(QuicTransportParameterId id) const;

    /// \return max_idle_timeout in milliseconds (0: no idle timeout)
    uint64_t GetMaxIdleTimeout() const;
    /// \param ms max_idle_timeout in milliseconds \return false if ms > 2^62-1
    bool SetMaxIdleTimeout(uint64_t ms);

    /// \return max_udp_payload_size (default 65527)
    uint64_t GetMaxUdpPayloadSize() const;
    /// \param size max_udp_payload_size \return false if size > 2^62-1
    bool SetMaxUdpPayloadSize(uint64_t size);

    /// \return initial_max_data
    uint64_t GetInitialMaxData() const;
    /// \param v initial_max_data \return false if v > 2^62-1
    bool SetInitialMaxData(uint64_t v);

    /// \return initial_max_stream_data_bidi_local
    uint64_t GetInitialMaxStreamDataBidiLocal() const;
    /// \param v initial_max_stream_data_bidi_local \return false if v > 2^62-1
    bool SetInitialMaxStreamDataBidiLocal(uint64_t v);

    /// \return initial_max_stream_data_bidi_remote
    uint64_t GetInitialMaxStreamDataBidiRemote() const;
    /// \param v initial_max_stream_data_bidi_remote \return false if v > 2^62-1
    bool SetInitialMaxStreamDataBidiRemote(uint64_t v);

    /// \return initial_max_stream_data_uni
    uint64_t GetInitialMaxStreamDataUni() const;
    /// \param v initial_max_stream_data_uni \return false if v > 2^62-1
    bool SetInitialMaxStreamDataUni(uint64_t v);

    /// \return initial_max_streams_bidi
    uint64_t GetInitialMaxStreamsBidi() const;
    /// \param v initial_max_streams_bidi \return false if v > 2^62-1
    bool SetInitialMaxStreamsBidi(uint64_t v);

    /// \return initial_max_streams_uni
    uint64_t GetInitialMaxStreamsUni() const;
    /// \param v initial_max_streams_uni \return false if v > 2^62-1
    bool SetInitialMaxStreamsUni(uint64_t v);

    /// \return ack_delay_exponent (default 3)
    uint64_t GetAckDelayExponent() const;
    /// \param v ack_delay_exponent \return false if v > 2^62-1
    bool SetAckDelayExponent(uint64_t v);

    /// \return max_ack_delay in milliseconds (default 25)
    uint64_t GetMaxAckDelay() const;
    /// \param ms max_ack_delay in milliseconds \return false if ms > 2^62-1
    bool SetMaxAckDelay(uint64_t ms);

    /// \return active_connection_id_limit (default 2, TP-05)
    uint64_t GetActiveConnectionIdLimit() const;
    /// \param v active_connection_id_limit \return false if v > 2^62-1
    bool SetActiveConnectionIdLimit(uint64_t v);

    /// \return true if disable_active_migration is present (TP-04)
    bool IsActiveMigrationDisabled() const;
    /// \param disabled whether to send disable_active_migration
    void SetDisableActiveMigration(bool disabled);

    /// \return original_destination_connection_id (empty when absent; see Has())
    const QuicConnectionId& GetOriginalDestinationConnectionId() const;
    /// \param cid original_destination_connection_id (server only)
    void SetOriginalDestinationConnectionId(const QuicConnectionId& cid);

    /// \return initial_source_connection_id (empty when absent; see Has())
    const QuicConnectionId& GetInitialSourceConnectionId() const;
    /// \param cid initial_source_connection_id
    void SetInitialSourceConnectionId(const QuicConnectionId& cid);

    /// \return retry_source_connection_id (empty when absent; see Has())
    const QuicConnectionId& GetRetrySourceConnectionId() const;
    /// \param cid retry_source_connection_id (server only)
    void SetRetrySourceConnectionId(const QuicConnectionId& cid);

    /// \return stateless_reset_token (all zero when absent; see Has())
    const StatelessResetToken& GetStatelessResetToken() const;
    /// \param token stateless_reset_token (server only)
    void SetStatelessResetToken(const StatelessResetToken& token);

    /// \return preferred_address (all zero when absent; see Has())
    const QuicPreferredAddress& GetPreferredAddress() const;
    /// \param pa preferred_address (server only)
    void SetPreferredAddress(const QuicPreferredAddress& pa);

    /**
     * \brief Append the transport parameter block: each present parameter once,
     * in ascending identifier order.
     * \param writer the destination
     */
    void Encode(QuicBufferWriter& writer) const;

    /**
     * \brief Append the block preceded by one reserved parameter 31 * N + 27
     * carrying an arbitrary value, so that the peer's "ignore unknown
     * parameters" rule is exercised (§18.1, TP-01).
     * \param writer the destination
     * \param greaseN N (at most MAX_RESERVED_N)
     * \param greaseValue the reserved parameter's value (may be empty)
     * \return false, writing nothing, if greaseN > MAX_RESERVED_N
     */
    bool Encode(QuicBufferWriter& writer,
                uint64_t greaseN,
                const std::vector<uint8_t>& greaseValue) const;

    /**
     * \brief Decode and validate a received transport parameter block.
     *
     * Every failure is a TRANSPORT_PARAMETER_ERROR (§7.4, §18.2): a parameter
     * whose Length runs past the block, a truncated ID or Length; a duplicated
     * RFC 9000 parameter (TP-02); an integer whose varint does not fill its
     * Length exactly; max_udp_payload_size < 1200, ack_delay_exponent > 20,
     * max_ack_delay >= 2^14 (TP-07); initial_max_streams_bidi/uni > 2^60 (§4.6);
     * active_connection_id_limit < 2 (TP-05); stateless_reset_token not 16
     * bytes; disable_active_migration not empty (TP-04); a connection ID longer
     * than 20 bytes; a malformed preferred_address (TP-06, PA-02), or one sent
     * by a server whose initial_source_connection_id is empty (PA-02); a
     * server-only parameter (0x00, 0x02, 0x0d, 0x10) sent by a client (TP-03).
     * Unknown and reserved identifiers are skipped (TP-01); duplicates of them
     * are not detected, as they carry no meaning.
     *
     * \param data the block (may be null when size is 0)
     * \param size its length
     * \param sentByServer true when the block comes from the server (the
     *        decoding endpoint is a client)
     * \param out receives the parameters; unchanged on failure
     * \param error receives the code, offending parameter and reason on failure
     *        (may be null); reset to NO_ERROR on success
     * \return NO_ERROR or TRANSPORT_PARAMETER_ERROR
     */
    static QuicTransportError Decode(const uint8_t* data,
                                     size_t size,
                                     bool sentByServer,
                                     QuicTransportParameters& out,
                                     QuicTransportParameterError* error = nullptr);

    /**
     * \brief Check the values held against the rules Decode() applies, e.g. for
     * locally configured parameters before sending them.
     * \param sentByServer whether these are a server's parameters
     * \param error receives the failure detail (may be null)
     * \return NO_ERROR or TRANSPORT_PARAMETER_ERROR
     */
    QuicTransportError Validate(bool sentByServer,
                                QuicTransportParameterError* error = nullptr) const;

    /**
     * \brief Authenticate the handshake connection IDs (RFC 9000 §7.3, CID-18).
     *
     * Called by the connection layer on the peer's parameters once they are
     * decoded. Rules, all giving TRANSPORT_PARAMETER_ERROR:
     *  - initial_source_connection_id absent (from either side), or
     *    original_destination_connection_id absent from a server;
     *  - initial_source_connection_id != seen.peerInitialSourceCid;
     *  - from a server: original_destination_connection_id !=
     *    seen.originalDestinationCid; retry_source_connection_id absent although
     *    a Retry was processed, present although none was, or != seen.retrySourceCid;
     *  - from a client: any server-only connection ID parameter present.
     *
     * §7.3 allows TRANSPORT_PARAMETER_ERROR or PROTOCOL_VIOLATION for the
     * mismatch and Retry cases; this model uses TRANSPORT_PARAMETER_ERROR for
     * every case so that all handshake CID failures close with code 0x08.
     * \param sentByServer whether these are the server's parameters
     * \param seen the values seen in packet headers
     * \param error receives the failure detail (may be null)
     * \return NO_ERROR or TRANSPORT_PARAMETER_ERROR
     */
    QuicTransportError ValidateConnectionIds(bool sentByServer,
                                             const QuicHandshakeConnectionIds& seen,
                                             QuicTransportParameterError* error = nullptr) const;

    /**
     * \brief Print the present parameters, e.g. "max_idle_timeout=30000 ...".
     * \param os the stream
     */
    void Print(std::ostream& os) const;

    /// \param o the other set \return true if the same parameters are present with equal values
    bool operator==(const QuicTransportParameters& o) const;

    /// \param o the other set \return true if they differ
    bool operator!=(const QuicTransportParameters& o) const
    {
        return !(*this == o);
    }

  private:
    /// Number of identifiers defined by RFC 9000 (0x00 .. 0x10).
    static constexpr size_t KNOWN_COUNT = 0x11;

    /**
     * \param id the identifier
     * \return the presence bit of a known identifier
     */
    static uint32_t Bit(QuicTransportParameterId id)
    {
        return uint32_t{1} << static_cast<uint64_t>(id);
    }

    /// Append one present parameter (identifier, length, value).
    /// \param writer the destination \param id the identifier
    void EncodeOne(QuicBufferWriter& writer, QuicTransportParameterId id) const;

    uint32_t m_present;                        //!< bit i: parameter with ID i present
    uint64_t m_integers[KNOWN_COUNT];          //!< integer values, indexed by ID
    QuicConnectionId m_originalDestinationCid; //!< 0x00
    StatelessResetToken m_statelessResetToken; //!< 0x02
    QuicPreferredAddress m_preferredAddress;   //!< 0x0d
    QuicConnectionId m_initialSourceCid;       //!< 0x0f
    QuicConnectionId m_retrySourceCid;         //!< 0x10
};

/**
 * \brief Print transport parameters (see QuicTransportParameters::Print()).
 * \param os the stream
 * \param tp the parameters
 * \return the stream
 */
std::ostream& operator<<(std::ostream& os, const QuicTransportParameters& tp);

} // namespace ns3

#endif /* QUIC_TRANSPORT_PARAMETERS_H */
