/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_CONNECTION_H
#define QUIC_CONNECTION_H

#include "quic-connection-id.h"
#include "quic-error.h"
#include "quic-frame.h"
#include "quic-loss-recovery.h"
#include "quic-packet-codec.h"
#include "quic-packet-header.h"
#include "quic-packet-number.h"
#include "quic-packet-protection.h"
#include "quic-path.h"
#include "quic-stream.h"
#include "quic-tls.h"
#include "quic-transport-parameters.h"

#include "ns3/address.h"
#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/ptr.h"
#include "ns3/random-variable-stream.h"
#include "ns3/traced-callback.h"
#include "ns3/traced-value.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

class QuicEndpoint;
class QuicQlogWriter;

/**
 * \ingroup quic-migration
 * \brief What the packet trace sources report about one QUIC packet.
 */
struct QuicPacketTraceInfo
{
    QuicPacketType m_type{QuicPacketType::ONE_RTT}; //!< packet type
    uint64_t m_packetNumber{0};                     //!< full packet number
    uint32_t m_size{0};                             //!< packet bytes (header, payload, tag)
    uint32_t m_datagramSize{0};                     //!< UDP payload bytes of the datagram
    uint32_t m_frameTypes{0};                       //!< set of QuicFrameTypeBit() of its frames
    bool m_ackEliciting{false};                     //!< contains an ack-eliciting frame
    bool m_probing{false};                          //!< only probing frames (RFC 9000 §9.1)
    QuicConnectionId m_dcid;                        //!< Destination Connection ID
    QuicConnectionId m_scid;                        //!< Source Connection ID (long headers)
    uint32_t m_pathId{0};                           //!< path it was sent or received on
    Address m_local;                                //!< local socket address
    Address m_remote;                               //!< remote socket address
};

/**
 * \ingroup quic-migration
 * \brief Why a received datagram or packet was dropped (trace source "PacketDropped").
 */
enum class QuicDropReason : uint8_t
{
    HEADER_INVALID,      ///< header cannot be parsed (RFC 9000 §17)
    UNKNOWN_CID,         ///< no connection for the Destination Connection ID (§5.2)
    UNSUPPORTED_VERSION, ///< long header with a version other than 1
    INITIAL_TOO_SMALL,   ///< Initial in a datagram under 1200 bytes (§14.1)
    KEYS_UNAVAILABLE,    ///< no keys (yet, or any more) for the packet's epoch
    DECRYPTION_FAILED,   ///< AEAD authentication failed (RFC 9001 §5.5)
    DUPLICATE,           ///< packet number already received (§12.3)
    PROTOCOL_VIOLATION,  ///< frames not allowed or malformed: the connection closes
    CLOSING,             ///< connection closing or draining (§10.2)
    UNEXPECTED_SOURCE,   ///< client: packet from an address it has not moved to (§9)
    OTHER,               ///< anything else
};

/**
 * \brief Name of a drop reason.
 * \param reason the reason
 * \return e.g. "DECRYPTION_FAILED"
 */
const char* QuicDropReasonName(QuicDropReason reason);

/**
 * \ingroup quic-migration
 * \brief Counters of one connection, for results and summaries.
 */
struct QuicConnectionStats
{
    uint64_t m_packetsSent{0};          //!< packets sent
    uint64_t m_packetsReceived{0};      //!< packets received and authenticated
    uint64_t m_packetsLost{0};          //!< packets declared lost (RFC 9002 §6.1)
    uint64_t m_packetsDropped{0};       //!< packets or datagrams dropped on receipt
    uint64_t m_datagramsSent{0};        //!< UDP datagrams sent
    uint64_t m_datagramsReceived{0};    //!< UDP datagrams received
    uint64_t m_bytesSent{0};            //!< UDP payload bytes sent
    uint64_t m_bytesReceived{0};        //!< UDP payload bytes received
    uint64_t m_streamBytesSent{0};      //!< STREAM payload bytes sent (retransmissions included)
    uint64_t m_streamBytesDelivered{0}; //!< stream bytes delivered in order to the application
    uint64_t m_ptoCount{0};             //!< probe timeouts
    Time m_handshakeCompleteTime;       //!< when the handshake completed (RFC 9001 §4.1.1)
    Time m_handshakeConfirmedTime;      //!< when the handshake was confirmed (§4.1.2)
    Time m_firstInitialSentTime;        //!< client: when the first Initial left
    Time m_first1RttSentTime;           //!< when the first 1-RTT packet left
    Time m_firstStreamDataSentTime;     //!< when the first STREAM frame left
    uint32_t m_pathSwitches{0};         //!< active path changes
    uint32_t m_peerAddressChanges{0};   //!< peer address changes seen (RFC 9000 §9.3)
    uint32_t m_pathsValidated{0};       //!< successful path validations (§8.2)
    uint32_t m_validationFailures{0};   //!< abandoned path validations (§8.2.4)
    uint32_t m_pathChallengesSent{0};   //!< PATH_CHALLENGE frames sent
};

/**
 * \ingroup quic-migration
 * \brief One QUIC version 1 connection (RFC 9000, RFC 9001, RFC 9002).
 *
 * Owns, for one connection: the three packet-number spaces with their keys,
 * received-packet tracking and CRYPTO streams; the TLS 1.3 handshake model
 * (QuicTlsHandshake: a simulated key exchange with real message shapes and the
 * real key schedule, so captures decrypt with the key log); the transport
 * parameters; the streams and flow control (QuicStreamManager); loss recovery
 * (QuicLossRecovery) and a congestion-control strategy (NewReno by default);
 * and the paths (QuicPath) with their RTT, congestion and anti-amplification
 * state.
 *
 * Implemented: the 1-RTT handshake with coalesced Initial/Handshake packets,
 * padding of Initial datagrams to 1200 bytes, the 3x anti-amplification limit
 * until the client address is validated (§8.1), handshake completion and
 * confirmation with HANDSHAKE_DONE (RFC 9001 §4.1), discarding Initial and
 * Handshake keys (RFC 9001 §4.9), transport-parameter exchange and validation
 * including the connection-ID checks of §7.3, ACK generation (§13.2) with
 * max_ack_delay, RFC 9002 loss detection, PTO and NewReno with pacing,
 * streams with flow control, idle timeout (§10.1), CONNECTION_CLOSE with the
 * closing and draining states (§10.2).
 *
 * Timers: one ns-3 event per connection at the earliest deadline (loss
 * detection, ACK delay, pacing, idle, closing/draining).
 *
 * Not modelled (yet): 0-RTT, Retry, Version Negotiation by the client, key
 * updates, ECN, connection migration and multiple connection IDs (later
 * issues), PMTU discovery.
 */
class QuicConnection : public Object
{
  public:
    /// Which side of the connection this is.
    enum Role
    {
        CLIENT, ///< initiated the connection
        SERVER, ///< accepted it
    };

    /// How a client migration proceeds (RFC 9000 §9.2).
    enum MigrationPolicy
    {
        PROBE_THEN_SWITCH,  ///< validate the new path with probing packets, then move to it
        SWITCH_IMMEDIATELY, ///< send non-probing packets on the new path at once
    };

    /**
     * What a server does with packets from a new client address when it sent
     * disable_active_migration (RFC 9000 §9, MIG-03). Neither answers with a stateless reset
     * or a CONNECTION_CLOSE.
     */
    enum DisabledMigrationAction
    {
        VALIDATE_PEER, ///< validate the new path and let the peer migrate (also keeps NAT
                       ///< rebinding working)
        DROP_PACKETS,  ///< silently drop packets arriving on the new path (NAT rebinding then
                       ///< breaks the connection too)
    };

    /// Connection lifecycle (RFC 9000 §10).
    enum State
    {
        HANDSHAKING, ///< handshake in progress
        CONNECTED,   ///< handshake complete
        CLOSING,     ///< sent CONNECTION_CLOSE (§10.2.1)
        DRAINING,    ///< received CONNECTION_CLOSE or a stateless reset (§10.2.2)
        CLOSED,      ///< no state left
    };

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    QuicConnection();
    ~QuicConnection() override;

    /// \return the role
    Role GetRole() const;
    /// \return the state
    State GetState() const;
    /// \return true once the handshake is complete (RFC 9001 §4.1.1)
    bool IsHandshakeComplete() const;
    /// \return true once the handshake is confirmed (RFC 9001 §4.1.2)
    bool IsHandshakeConfirmed() const;
    /// \return the Destination Connection ID of the client's first Initial
    const QuicConnectionId& GetOriginalDestinationCid() const;
    /// \return the connection ID this endpoint chose for itself (sequence 0)
    const QuicConnectionId& GetLocalCid() const;
    /// \return the peer's connection ID currently used as Destination Connection ID
    const QuicConnectionId& GetPeerCid() const;
    /// \return the node's endpoint
    Ptr<QuicEndpoint> GetEndpoint() const;
    /// \return the active path
    const QuicPath& GetActivePath() const;
    /// \return the counters
    const QuicConnectionStats& GetStats() const;
    /// \return the congestion window of the active path in bytes
    uint64_t GetCongestionWindow() const;
    /// \return the smoothed RTT of the active path
    Time GetSmoothedRtt() const;
    /// \return the transport parameters received from the peer (valid once received)
    const QuicTransportParameters& GetPeerTransportParameters() const;
    /// \return the error code of the CONNECTION_CLOSE that ended the connection
    uint64_t GetCloseErrorCode() const;

    // ---- application interface -------------------------------------------------------------

    /**
     * \brief Open a stream (RFC 9000 §2.1).
     * \param bidirectional bidirectional or unidirectional
     * \return the stream id, or -1 when the peer's stream limit is reached (the connection
     *         sends STREAMS_BLOCKED) or the connection is not usable
     */
    int64_t OpenStream(bool bidirectional = true);

    /**
     * \brief Queue application bytes on a stream (copied).
     * \param streamId the stream
     * \param data the bytes
     * \param size their count
     * \return bytes accepted (bounded by the send buffer; the SendReady callback says when
     *         more can be written)
     */
    size_t Send(uint64_t streamId, const uint8_t* data, size_t size);

    /**
     * \brief Queue bytes whose content is the deterministic pattern QuicStreamPattern
     * (no copy, for bulk transfers of any size).
     * \param streamId the stream
     * \param bytes number of bytes
     * \return bytes accepted
     */
    uint64_t SendPattern(uint64_t streamId, uint64_t bytes);

    /**
     * \brief Mark the end of a stream (FIN).
     * \param streamId the stream
     * \return false if the stream does not exist or cannot send
     */
    bool FinishStream(uint64_t streamId);

    /**
     * \brief Abandon sending on a stream: RESET_STREAM with the final size (RFC 9000 §3.1,
     * §19.4).
     * \param streamId the stream
     * \param applicationErrorCode the application error code
     * \return false if the stream does not exist or has no sending part
     */
    bool ResetStream(uint64_t streamId, uint64_t applicationErrorCode);

    /**
     * \brief Ask the peer to stop sending on a stream: STOP_SENDING (RFC 9000 §3.5, §19.5).
     * \param streamId the stream
     * \param applicationErrorCode the application error code
     * \return false if the stream does not exist or has no receiving part
     */
    bool StopSending(uint64_t streamId, uint64_t applicationErrorCode);

    /**
     * \param streamId the stream
     * \return bytes the application may still write on the stream now
     */
    uint64_t GetWritableBytes(uint64_t streamId) const;

    /**
     * \brief Client connection migration (RFC 9000 §9.2) to another local address: a new
     * socket is bound there (port 0 = ephemeral), the new path gets a connection ID of the
     * peer never used before (§9.5) and is validated (§8.2).
     *
     * Refused (false) before the handshake is confirmed (MIG-01), when the peer sent
     * disable_active_migration (MIG-02), without a spare peer connection ID (PRIV-06), or on
     * a server.
     * \param local the local address (InetSocketAddress or Inet6SocketAddress)
     * \param policy probe first, or switch at once
     * \return true if the migration started
     */
    bool Migrate(const Address& local, MigrationPolicy policy);

    /**
     * \brief Test hook modelling a NAT rebinding in front of this (client) connection: its
     * socket moves to a new local port without the connection knowing it migrated (same
     * connection ID, no validation by the client).
     * \param local the new local address (port 0 = ephemeral)
     * \return false if no socket could be bound
     */
    bool RebindForTesting(const Address& local);

    /// \return number of paths the connection knows
    size_t GetPathCount() const;

    /**
     * \param index 0 .. GetPathCount() - 1, in creation order (abandoned paths included)
     * \return that path (read-only: its addresses, byte counters, RTT and congestion state)
     */
    const QuicPath& GetPath(size_t index) const;

    /**
     * \brief Whether the connection moved to the server's preferred address (RFC 9000 §9.6):
     * on a client, after validating it and switching; on a server, after validating the path
     * from its preferred address and switching its non-probing traffic to it.
     * \return true once moved
     */
    bool IsOnPreferredAddress() const;

    /**
     * \brief The IPv6 flow label this connection would put on packets of its active path
     * (RFC 9000 §9.7, RFC 6437): a keyed hash of the local and remote addresses and the
     * Destination Connection ID, so it changes with the path and with the connection ID and is
     * hard to link across them. ns-3.37's IPv6 stack offers sockets no way to set a flow
     * label and writes 0 on the wire, so the label is modelled here, not transmitted.
     * \return the 20-bit label (never 0) on an IPv6 path; 0 on an IPv4 path
     */
    uint32_t GetFlowLabel() const;

    /**
     * \brief Switch the Destination Connection ID of the active path to one the peer issued
     * and that was never used, and retire the old one (RFC 9000 §9.5). Needs a confirmed
     * handshake and a spare connection ID from the peer.
     * \return false if not possible now
     */
    bool RotateDestinationCid();

    /**
     * \brief Ask the peer to retire every connection ID we issued with a sequence number
     * below retirePriorTo (Retire Prior To of NEW_CONNECTION_ID, RFC 9000 §5.1.2).
     * \param retirePriorTo the new Retire Prior To value
     * \return false if refused (an earlier raise is not fully retired yet, CID-14)
     */
    bool RaiseRetirePriorTo(uint64_t retirePriorTo);

    /**
     * \brief Test hook: send this frame as-is in the next 1-RTT packet, bypassing every
     * rule of this endpoint (to model a faulty or malicious peer in tests).
     * \param frame the frame (its data views must stay valid until it is sent)
     */
    void QueueFrameForTesting(const QuicFrame& frame);

    /// \return unused connection IDs the peer has issued to us
    size_t GetSpareDestinationCidCount() const;

    /// \return connection IDs we issued that the peer has not retired
    size_t GetActiveLocalCidCount() const;

    /**
     * \brief Used by the endpoint for a datagram that matched no connection ID: is it a
     * stateless reset for this connection (RFC 9000 §10.3.1)? If so, the connection drains.
     * \param data the datagram
     * \param size its length
     * \return true if it was a stateless reset for this connection
     */
    bool CheckStatelessReset(const uint8_t* data, size_t size);

    /**
     * \brief Close the connection with an application error (CONNECTION_CLOSE 0x1d).
     * \param applicationErrorCode the code (0 = no error)
     * \param reason a reason phrase
     */
    void Close(uint64_t applicationErrorCode = 0, const std::string& reason = "");

    /// Stream data delivered in order: (connection, stream id, bytes, size, fin).
    typedef Callback<void, Ptr<QuicConnection>, uint64_t, const uint8_t*, size_t, bool>
        StreamDataCallback;
    /// \param cb called for every in-order piece of stream data received
    void SetStreamDataCallback(StreamDataCallback cb);
    /// \param cb called once the handshake is complete (RFC 9001 §4.1.1): from then on
    ///        1-RTT stream data can be sent
    void SetHandshakeCompleteCallback(Callback<void, Ptr<QuicConnection>> cb);
    /// \param cb called once the handshake is confirmed (RFC 9001 §4.1.2)
    void SetHandshakeConfirmedCallback(Callback<void, Ptr<QuicConnection>> cb);
    /// \param cb called when a stream can take more data: (connection, stream id)
    void SetSendReadyCallback(Callback<void, Ptr<QuicConnection>, uint64_t> cb);
    /// \param cb called when the connection is closed: (connection, error code, by peer)
    void SetClosedCallback(Callback<void, Ptr<QuicConnection>, uint64_t, bool> cb);

    // ---- used by QuicEndpoint ----------------------------------------------------------------

    /**
     * \brief Set up a client connection and send its first Initial.
     * \param endpoint the endpoint
     * \param socket the socket to send from
     * \param local local socket address
     * \param remote server socket address
     * \param serverName TLS server_name (may be empty)
     */
    void StartClient(Ptr<QuicEndpoint> endpoint,
                     Ptr<Socket> socket,
                     const Address& local,
                     const Address& remote,
                     const std::string& serverName);

    /**
     * \brief Set up a server connection for a client's first Initial.
     * \param endpoint the endpoint
     * \param socket the socket the Initial arrived on
     * \param local local socket address
     * \param remote client socket address
     * \param originalDcid the Destination Connection ID of the client's Initial
     * \param clientScid the Source Connection ID of the client's Initial
     */
    void StartServer(Ptr<QuicEndpoint> endpoint,
                     Ptr<Socket> socket,
                     const Address& local,
                     const Address& remote,
                     const QuicConnectionId& originalDcid,
                     const QuicConnectionId& clientScid);

    /**
     * \brief Process one received UDP datagram routed to this connection.
     * \param data the datagram (modified in place while unprotecting)
     * \param size its length
     * \param local the local socket address it arrived on
     * \param remote the address it came from
     * \param socket the socket it arrived on
     */
    void ReceiveDatagram(uint8_t* data,
                         size_t size,
                         const Address& local,
                         const Address& remote,
                         Ptr<Socket> socket);

    /**
     * \brief Assign fixed random variable stream numbers.
     * \param stream first stream number
     * \return number of streams assigned
     */
    int64_t AssignStreams(int64_t stream);

    /// Trace signature of PacketSent / PacketReceived / PacketLost.
    typedef void (*PacketTracedCallback)(Ptr<const QuicConnection> connection,
                                         const QuicPacketTraceInfo& info);
    /// Trace signature of PacketDropped: (connection, reason, size in bytes).
    typedef void (*DropTracedCallback)(Ptr<const QuicConnection> connection,
                                       QuicDropReason reason,
                                       uint32_t size);
    /// Trace signature of HandshakeEvent: (connection, milestone name).
    typedef void (*HandshakeTracedCallback)(Ptr<const QuicConnection> connection,
                                            const std::string& milestone);
    /// Trace signature of PathEvent: (connection, event, from, to) with addresses as text.
    typedef void (*PathTracedCallback)(Ptr<const QuicConnection> connection,
                                       const std::string& event,
                                       const std::string& from,
                                       const std::string& to);
    /// Trace signature of Closed: (connection, error code, closed by the peer).
    typedef void (*ClosedTracedCallback)(Ptr<const QuicConnection> connection,
                                         uint64_t errorCode,
                                         bool byPeer);
    /// Trace signature of ConnectionIdEvent: (connection, event, sequence number, CID).
    typedef void (*CidTracedCallback)(Ptr<const QuicConnection> connection,
                                      const std::string& event,
                                      uint64_t sequenceNumber,
                                      const QuicConnectionId& cid);
    /// Trace signature of StreamDataDelivered: (connection, stream id, bytes).
    typedef void (*StreamDataTracedCallback)(Ptr<const QuicConnection> connection,
                                             uint64_t streamId,
                                             uint32_t bytes);

  protected:
    void DoDispose() override;

  private:
    friend class QuicConnectionTestAccess;

    struct Impl;
    std::unique_ptr<Impl> m_impl; //!< the connection's state and logic

    TracedCallback<Ptr<const QuicConnection>, const QuicPacketTraceInfo&> m_packetSentTrace;
    TracedCallback<Ptr<const QuicConnection>, const QuicPacketTraceInfo&> m_packetReceivedTrace;
    TracedCallback<Ptr<const QuicConnection>, const QuicPacketTraceInfo&> m_packetLostTrace;
    TracedCallback<Ptr<const QuicConnection>, QuicDropReason, uint32_t> m_packetDroppedTrace;
    TracedCallback<Ptr<const QuicConnection>, const std::string&> m_handshakeTrace;
    TracedCallback<Ptr<const QuicConnection>, uint64_t, uint32_t> m_streamDataTrace;
    TracedCallback<Ptr<const QuicConnection>, const std::string&, uint64_t, const QuicConnectionId&>
        m_cidTrace;                                                          //!< ConnectionIdEvent
    TracedCallback<Ptr<const QuicConnection>, uint64_t, bool> m_closedTrace; //!< Closed
    TracedCallback<Ptr<const QuicConnection>,
                   const std::string&,
                   const std::string&,
                   const std::string&>
        m_pathTrace;                       //!< PathEvent
    TracedValue<uint64_t> m_cwnd;          //!< congestion window of the active path
    TracedValue<uint64_t> m_bytesInFlight; //!< bytes in flight on the active path
    TracedValue<Time> m_smoothedRtt;       //!< smoothed RTT of the active path
    TracedValue<Time> m_latestRtt;         //!< latest RTT sample of the active path

    // Attributes
    Time m_maxIdleTimeout;              //!< max_idle_timeout we advertise
    Time m_maxAckDelay;                 //!< max_ack_delay we advertise
    uint32_t m_ackDelayExponent;        //!< ack_delay_exponent we advertise
    uint32_t m_ackElicitingThreshold;   //!< ack-eliciting packets before an immediate ACK
    uint32_t m_maxUdpPayloadSize;       //!< datagram size we send and advertise
    uint64_t m_initialMaxData;          //!< initial_max_data we advertise
    uint64_t m_initialMaxStreamData;    //!< initial_max_stream_data_* we advertise
    uint64_t m_initialMaxStreamsBidi;   //!< initial_max_streams_bidi we advertise
    uint64_t m_initialMaxStreamsUni;    //!< initial_max_streams_uni we advertise
    uint64_t m_activeCidLimit;          //!< active_connection_id_limit we advertise
    uint32_t m_cidLength;               //!< length of the connection IDs we choose
    Time m_initialRtt;                  //!< kInitialRtt (RFC 9002 §6.2.2)
    TypeId m_congestionTypeId;          //!< congestion-control strategy
    uint32_t m_certificateSize;         //!< server certificate DER size
    std::string m_alpn;                 //!< ALPN protocol
    uint32_t m_maxAckRanges;            //!< ACK ranges per ACK frame
    bool m_disableActiveMigration;      //!< send disable_active_migration
    uint32_t m_maxPaths;                //!< paths kept at most
    bool m_keepStateOnPortChange;       //!< RFC 9000 §9.4 policy
    Time m_validationReuseWindow;       //!< skip validation of a path validated this recently
    Time m_cidRotationInterval;         //!< periodic DCID rotation (0: off)
    Time m_keepAliveInterval;           //!< PING after this long without ack-eliciting (0: off)
    bool m_usePreferredAddress;         //!< client: migrate to the server's preferred address
    uint32_t m_maxPendingPathResponses; //!< PATH_RESPONSEs queued per path at most
    uint64_t m_maxCryptoBuffer;         //!< out-of-order CRYPTO bytes buffered per space
    DisabledMigrationAction m_disabledMigrationAction; //!< MIG-03 policy
    std::string m_qlogDirectory;                       //!< where qlog files go ("" = no qlog)
    Ptr<UniformRandomVariable> m_rng;                  //!< randoms, key shares, first DCID
};

} // namespace ns3

#endif /* QUIC_CONNECTION_H */
