/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-connection.h"

#include "quic-cid-manager.h"
#include "quic-endpoint.h"
#include "quic-new-reno.h"
#include "quic-packet-protection.h"
#include "quic-path-validator.h"
#include "quic-qlog.h"
#include "quic-stateless-reset.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/log.h"
#include "ns3/random-variable-stream.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/type-id.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <limits>
#include <map>
#include <unordered_set>
#include <utility>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicConnection");

NS_OBJECT_ENSURE_REGISTERED(QuicConnection);

namespace
{

/// Smallest allowed maximum datagram size (RFC 9000 §14).
constexpr size_t MIN_DATAGRAM_SIZE = 1200;
/// Largest STREAM frame header: type + stream id + offset + length varints.
constexpr size_t STREAM_FRAME_OVERHEAD = 1 + 8 + 8 + 4;
/// Largest CRYPTO frame header: type + offset + length varints.
constexpr size_t CRYPTO_FRAME_OVERHEAD = 1 + 8 + 4;
/// Largest piece of stream data handed to the application at once (bytes).
constexpr uint64_t MAX_READ_PIECE = 64 * 1024;
/// Datagrams built per call to SendPending() before yielding (bounds one event's work).
constexpr int MAX_DATAGRAMS_PER_CALL = 64;

QuicPacketNumberSpace
SpaceOf(size_t i)
{
    return static_cast<QuicPacketNumberSpace>(i);
}

QuicTlsLevel
LevelOf(size_t i)
{
    return static_cast<QuicTlsLevel>(i);
}

QuicPacketType
PacketTypeOf(size_t space)
{
    switch (space)
    {
    case 0:
        return QuicPacketType::INITIAL;
    case 1:
        return QuicPacketType::HANDSHAKE;
    default:
        return QuicPacketType::ONE_RTT;
    }
}

/// Append a random connection ID's worth of bytes.
void
FillRandom(Ptr<UniformRandomVariable> rng, uint8_t* dst, size_t n)
{
    for (size_t i = 0; i < n; ++i)
    {
        dst[i] = static_cast<uint8_t>(rng->GetInteger(0, 255));
    }
}

} // namespace

const char*
QuicDropReasonName(QuicDropReason reason)
{
    switch (reason)
    {
    case QuicDropReason::HEADER_INVALID:
        return "HEADER_INVALID";
    case QuicDropReason::UNKNOWN_CID:
        return "UNKNOWN_CID";
    case QuicDropReason::UNSUPPORTED_VERSION:
        return "UNSUPPORTED_VERSION";
    case QuicDropReason::INITIAL_TOO_SMALL:
        return "INITIAL_TOO_SMALL";
    case QuicDropReason::KEYS_UNAVAILABLE:
        return "KEYS_UNAVAILABLE";
    case QuicDropReason::DECRYPTION_FAILED:
        return "DECRYPTION_FAILED";
    case QuicDropReason::DUPLICATE:
        return "DUPLICATE";
    case QuicDropReason::PROTOCOL_VIOLATION:
        return "PROTOCOL_VIOLATION";
    case QuicDropReason::CLOSING:
        return "CLOSING";
    case QuicDropReason::UNEXPECTED_SOURCE:
        return "UNEXPECTED_SOURCE";
    case QuicDropReason::OTHER:
        return "OTHER";
    }
    return "UNKNOWN";
}

// =============================================================================================
// Implementation state
// =============================================================================================

/**
 * A small FIFO queue on a std::vector: nothing is allocated while it is empty (a std::deque
 * allocates a 512-byte node and its map even when empty, for each of the few queues every
 * connection has). pop_front() is O(1); the storage is reused once the queue drains.
 */
template <typename T>
class SmallFifo
{
  public:
    /// \return true if the queue holds nothing
    bool empty() const
    {
        return m_head == m_items.size();
    }

    /// \return the number of queued items
    size_t size() const
    {
        return m_items.size() - m_head;
    }

    /// \return the oldest item (the queue must not be empty)
    T& front()
    {
        return m_items[m_head];
    }

    /// \param item appended at the back
    void push_back(const T& item)
    {
        m_items.push_back(item);
    }

    /// \param args constructor arguments of the item appended at the back
    template <typename... Args>
    void emplace_back(Args&&... args)
    {
        m_items.emplace_back(std::forward<Args>(args)...);
    }

    /// Remove the oldest item (the queue must not be empty).
    void pop_front()
    {
        if (++m_head == m_items.size())
        {
            clear();
        }
    }

    /// Remove every item (the storage is kept for reuse).
    void clear()
    {
        m_items.clear();
        m_head = 0;
    }

    /// Remove every item and free the storage.
    void release()
    {
        std::vector<T>().swap(m_items);
        m_head = 0;
    }

  private:
    std::vector<T> m_items; //!< items; those before m_head are already popped
    size_t m_head{0};       //!< index of the oldest item
};

/**
 * Lends a per-connection scratch buffer storage from a pool shared by every connection, for
 * the duration of one call (the datagram being built, the stream data being delivered), so
 * that idle connections hold no scratch storage. ns-3 runs one event at a time: a nested call
 * on another connection (from a trace sink or an application callback) takes another buffer
 * from the pool; a nested call on the same connection keeps using the lent one. Once the pool
 * holds enough buffers, lending allocates nothing.
 */
class ScratchLease
{
  public:
    /// A pool of buffers.
    using Pool = std::vector<std::vector<uint8_t>>;

    /**
     * \param buffer the connection's scratch buffer (empty with no storage unless lent)
     * \param pool the pool to borrow from
     * \param reserve capacity the buffer needs at least
     * \param keepSize keep the size the buffer had in the pool (its bytes are then
     *        stale), rather than clearing it
     */
    ScratchLease(std::vector<uint8_t>& buffer, Pool& pool, size_t reserve, bool keepSize)
        : m_buffer(buffer),
          m_pool(pool),
          m_owner(buffer.capacity() == 0)
    {
        if (!m_owner)
        {
            return; // already lent (nested call on the same connection)
        }
        if (!pool.empty())
        {
            m_buffer.swap(pool.back());
            pool.pop_back();
        }
        if (!keepSize)
        {
            m_buffer.clear();
        }
        m_buffer.reserve(reserve);
    }

    /// Give the storage back to the pool.
    ~ScratchLease()
    {
        if (m_owner)
        {
            m_pool.emplace_back();
            m_pool.back().swap(m_buffer);
        }
    }

    ScratchLease(const ScratchLease&) = delete;
    ScratchLease& operator=(const ScratchLease&) = delete;

  private:
    std::vector<uint8_t>& m_buffer; //!< the connection's buffer
    Pool& m_pool;                   //!< where the storage comes from and goes back to
    bool m_owner;                   //!< this lease lent the storage
};

/// \return the pool of datagram buffers (ScratchLease)
static ScratchLease::Pool&
DatagramPool()
{
    static ScratchLease::Pool pool;
    return pool;
}

/// \return the pool of stream read buffers (ScratchLease)
static ScratchLease::Pool&
ReadBufferPool()
{
    static ScratchLease::Pool pool;
    return pool;
}

/**
 * Frames of one sent packet that must be repaired if it is lost (RFC 9000 §13.3).
 * Pooled and reused: the vectors keep their capacity.
 */
struct SentFrames
{
    std::vector<QuicStreamChunk> m_streams;              //!< STREAM data
    std::vector<QuicStreamControlFrame> m_controls;      //!< flow-control and stream frames
    std::vector<std::pair<uint64_t, uint64_t>> m_crypto; //!< CRYPTO (offset, length)
    std::vector<QuicCidFrameRecord> m_cids;              //!< NEW_/RETIRE_CONNECTION_ID
    bool m_handshakeDone{false};                         //!< HANDSHAKE_DONE
    bool m_hasAck{false};                                //!< carried an ACK frame
    uint64_t m_ackLargest{0};                            //!< its largest acknowledged

    void Clear()
    {
        m_streams.clear();
        m_controls.clear();
        m_crypto.clear();
        m_cids.clear();
        m_handshakeDone = false;
        m_hasAck = false;
        m_ackLargest = 0;
    }

    bool Empty() const
    {
        return m_streams.empty() && m_controls.empty() && m_crypto.empty() && m_cids.empty() &&
               !m_handshakeDone && !m_hasAck;
    }
};

/// Per packet-number-space state (RFC 9000 §12.3).
struct PnSpace
{
    // sending
    uint64_t m_nextPn{0};                   //!< next packet number to send
    std::optional<uint64_t> m_largestAcked; //!< largest packet number the peer acked
    QuicPacketProtector m_tx;               //!< keys to protect
    bool m_txReady{false};                  //!< m_tx usable
    std::vector<uint8_t> m_cryptoOut;       //!< CRYPTO stream bytes, from offset 0
    uint64_t m_cryptoSent{0};               //!< first CRYPTO offset never sent
    SmallFifo<std::pair<uint64_t, uint64_t>> m_cryptoRetransmit; //!< lost (offset, length)
    uint32_t m_probes{0};                                        //!< PTO probes still to send

    // receiving
    QuicPacketProtector m_rx;                            //!< keys to unprotect
    bool m_rxReady{false};                               //!< m_rx usable
    std::vector<QuicAckRange> m_received;                //!< received packet numbers, descending
    std::optional<uint64_t> m_largestReceived;           //!< largest packet number received
    Time m_largestReceivedTime;                          //!< when it arrived
    uint32_t m_ackElicitingSinceAck{0};                  //!< ack-eliciting packets not yet acked
    bool m_ackNeeded{false};                             //!< an ACK should be sent
    bool m_ackImmediate{false};                          //!< ... without delay
    Time m_ackDeadline;                                  //!< when a delayed ACK is due
    uint64_t m_cryptoDelivered{0};                       //!< CRYPTO bytes handed to TLS
    std::map<uint64_t, std::vector<uint8_t>> m_cryptoIn; //!< out-of-order CRYPTO data

    bool m_discarded{false}; //!< keys discarded (RFC 9001 §4.9)
};

/**
 * One path of a connection and what the connection keeps for it beyond QuicPath: its
 * validation (RFC 9000 §8.2), PATH_RESPONSE data to send on it, the Destination Connection ID
 * used on it.
 */
struct PathCtx
{
    std::unique_ptr<QuicPath> m_path;               //!< per-path state
    QuicPathValidator m_validator;                  //!< PATH_CHALLENGE/RESPONSE state
    SmallFifo<QuicPathValidator::Data> m_responses; //!< PATH_RESPONSE data to send (once each)
    QuicConnectionId m_dcid;                        //!< DCID used on this path
    Time m_lastValidated;                           //!< when last validated (0: never)
    bool m_everValidated{false};                    //!< validated at least once
    bool m_switchOnValidation{false};               //!< switch to this path once validated
    bool m_toPreferred{false};                      //!< client: path to the preferred address
    bool m_smallChallenge{false};                   //!< a challenge went out under 1200 bytes
    bool m_mtuRevalidation{false};                  //!< PV-06 second, full-size validation
    Time m_lastRx;                                  //!< last datagram received on it
    bool m_abandoned{false};                        //!< validation failed: unusable
    QuicConnectionId m_rxDcid; //!< server: DCID of the datagram that created the path
};

struct QuicConnection::Impl
{
    QuicConnection* m_self{nullptr};
    Ptr<QuicEndpoint> m_endpoint;
    Role m_role{CLIENT};
    State m_state{HANDSHAKING};
    bool m_started{false};

    // connection IDs (one each way until the CID manager arrives)
    QuicConnectionId m_originalDcid;
    QuicConnectionId m_localCid;
    QuicConnectionId m_peerCid;
    QuicConnectionId m_peerInitialScid; //!< SCID of the peer's first Initial
    bool m_peerCidSet{false};
    QuicCidManager m_cids;                //!< local and peer connection IDs (RFC 9000 §5.1)
    std::vector<QuicFrame> m_testFrames;  //!< QueueFrameForTesting() frames
    std::vector<uint64_t> m_readyStreams; //!< streams to notify with SendReady
    Time m_nextRotation;                  //!< next periodic destination-CID rotation (0: none)

    std::array<PnSpace, QUIC_PN_SPACE_COUNT> m_spaces;
    std::unique_ptr<QuicTlsHandshake> m_tls; //!< the handshake, until it is confirmed
    QuicTlsPostHandshake m_tlsPost;          //!< what TLS keeps afterwards (m_tls null)
    bool m_localMigrationDisabled{false};    //!< we sent disable_active_migration
    QuicTransportParameters m_peerTp;
    bool m_peerTpApplied{false};
    bool m_handshakeComplete{false};
    bool m_handshakeConfirmed{false};
    bool m_handshakeDonePending{false};
    bool m_addressValidatedByPeer{false}; //!< client: the server validated our address

    std::vector<std::unique_ptr<PathCtx>> m_paths; //!< every path, the handshake one first
    PathCtx* m_active{nullptr};                    //!< the active path
    QuicPath* m_path{nullptr};                     //!< m_active->m_path (or a probe path
                                                   //!< while a probe is being sent)
    PathCtx* m_rxPath{nullptr};                    //!< path of the datagram being processed
    Ptr<Socket> m_rxSocket;                        //!< socket of the datagram being processed
    bool m_onPreferred{false};                     //!< moved to the preferred address (§9.6)
    Address m_handshakeLocal;                      //!< local address of the handshake path
    std::array<uint8_t, 16> m_flowLabelKey{};      //!< RFC 6437 flow-label hash key
    PathCtx* m_addressChangeTo{nullptr};           //!< peer moved here (set while receiving)
    uint32_t m_nextPathId{1};
    std::optional<uint64_t> m_largestNonProbing; //!< largest non-probing 1-RTT packet
    PathCtx* m_txCtx{nullptr};                   //!< probe path being sent on (null: active)
    bool m_pathFramesInDatagram{false};          //!< PATH_* frame in the datagram built
    Ptr<QuicCongestionOps> m_cc;
    Ptr<QuicLossRecovery> m_recovery;
    std::unique_ptr<QuicStreamManager> m_streams;

    // sent-frame pool
    std::vector<SentFrames> m_pool;
    std::vector<uint32_t> m_free;

    // timers
    EventId m_timer;
    Time m_timerAt;
    bool m_timerArmed{false}; //!< m_timer is scheduled (cheaper than EventId::IsRunning)
    Time m_idleDeadline;
    Time m_idleTimeout;
    bool m_ackElicitingSentSinceRx{false};
    Time m_lastAckElicitingSent; //!< KeepAliveInterval: last ack-eliciting packet sent
    Time m_closeDeadline;
    Time m_pacingWake;

    // closing
    uint64_t m_closeError{0};
    bool m_closeIsApp{false};
    std::string m_closeReason;
    uint64_t m_closeFrameType{0};
    std::vector<uint8_t> m_closeDatagram; //!< the CONNECTION_CLOSE sent, resent on receipt
    uint32_t m_closePacketsSinceResend{0};

    // scratch buffers
    std::vector<uint8_t> m_datagram;   //!< datagram being built (lent: ScratchLease)
    std::vector<uint8_t> m_readBuffer; //!< stream data being delivered (lent: ScratchLease)
    std::vector<QuicAckRange> m_ackScratch;
    std::vector<QuicSentPacket> m_ackedScratch;
    std::vector<QuicSentPacket> m_lostScratch;
    QuicFrame m_frame;

    QuicConnectionStats m_stats;
    uint32_t m_peerMaxUdpPayload{65527};
    uint64_t m_peerAckDelayExponent{3};

    // application callbacks
    StreamDataCallback m_dataCallback;
    Callback<void, Ptr<QuicConnection>> m_completeCallback;
    Callback<void, Ptr<QuicConnection>> m_confirmedCallback;
    bool m_completePending{false};  //!< complete callback due after the current datagram
    bool m_confirmedPending{false}; //!< confirmed callback due after the current datagram
    uint32_t m_inReceive{0};        //!< nesting depth of datagram processing
    bool m_sendRequested{false};    //!< SendPending() asked for during processing

    // qlog (null when disabled: zero cost)
    Ptr<QuicQlogWriter> m_qlog;
    uint32_t m_datagramId{0};
    std::vector<uint8_t> m_qlogScratch;               //!< plaintext of the packet being sent
    std::vector<QuicPacketTraceInfo> m_pendingTraces; //!< packets of the datagram being built
    bool m_firstInitialLogged{false};                 //!< first Initial sent recorded
    bool m_first1RttLogged{false};                    //!< first 1-RTT packet sent recorded
    bool m_firstStreamLogged{false};                  //!< first STREAM frame sent recorded
    Callback<void, Ptr<QuicConnection>, uint64_t> m_sendReadyCallback;
    Callback<void, Ptr<QuicConnection>, uint64_t, bool> m_closedCallback;

    // ---- logic (quic-connection.cc) ----
    void Setup(Ptr<QuicEndpoint> endpoint,
               Ptr<Socket> socket,
               const Address& local,
               const Address& remote);
    void SetupTls(const std::string& serverName);
    void InstallInitialKeys(const QuicConnectionId& dcid);
    void OnTlsSecrets(QuicTlsLevel level, const QuicTlsTrafficSecrets& secrets);
    void OnTlsComplete();
    void OnKeyLog(const std::string& line);
    void CollectTlsOutput();
    void ApplyPeerTransportParameters();
    void DiscardSpace(size_t space);
    void ConfirmHandshake();
    QuicSendStream* SendStreamFor(uint64_t streamId, bool requireConnected);
    QuicReceiveStream* ReceiveStreamFor(uint64_t streamId);
    PathCtx* FindPath(const Address& local, const Address& remote);
    PathCtx* AddPath(const Address& local,
                     const Address& remote,
                     Ptr<Socket> socket,
                     const QuicPath* inheritFrom);
    void StartValidation(PathCtx* ctx);
    void OnPeerAddressChange(PathCtx* ctx);
    void OnPathValidated(PathCtx* ctx);
    void OnValidationFailed(PathCtx* ctx);
    void SwitchActivePath(PathCtx* ctx, const char* reason);
    void SendProbes();
    bool AddPathFrames(PathCtx* ctx, QuicPacketBuilder& b, bool& ackEliciting, uint32_t& ft);
    Time NewPathPto() const;
    static QuicQlogPath QlogPathOf(const PathCtx* ctx);
    void TracePath(const char* event, const PathCtx* ctx);
    void ConfigureCids();
    void RefreshPeerCid();
    bool RotateCid(const char* reason);
    void OnStatelessReset();

    void Receive(uint8_t* data,
                 size_t size,
                 const Address& local,
                 const Address& remote,
                 Ptr<Socket> socket);
    void StartPreferredAddressMigration();
    void OnServerPathUse(PathCtx* ctx);
    bool PrunePath();
    bool ProcessPacket(uint8_t* packet, QuicPacketHeader& header, size_t datagramSize);
    bool ProcessFrames(size_t space,
                       const uint8_t* payload,
                       size_t length,
                       QuicPacketType type,
                       const QuicConnectionId& packetDcid);
    bool OnAckFrame(size_t space, const QuicFrame& f);
    bool OnCryptoFrame(size_t space, const QuicFrame& f);
    /// \return the TLS (or post-handshake TLS) verdict on CRYPTO bytes of a space
    QuicTransportError TlsReceiveCrypto(size_t space, const uint8_t* data, size_t size);
    bool OnStreamFrame(const QuicFrame& f);
    void DeliverStreamData(uint64_t streamId,
                           const uint8_t* direct = nullptr,
                           size_t directLength = 0);
    void RecordReceived(size_t space, uint64_t pn, bool ackEliciting);
    bool IsDuplicate(const PnSpace& sp, uint64_t pn) const;
    void OnPacketsAcked(size_t space, const std::vector<QuicSentPacket>& acked);
    void OnPacketsLost(size_t space, const std::vector<QuicSentPacket>& lost);

    void SendPending();
    bool HasSomethingToSend(size_t space, bool congestionOk, Time now) const;
    bool BuildPacket(size_t space,
                     QuicPacketBuilder& b,
                     size_t budget,
                     bool congestionOk,
                     bool& ackEliciting,
                     uint32_t& frameTypes,
                     SentFrames& sf);
    bool AddAckFrame(size_t space, QuicPacketBuilder& b, SentFrames& sf);
    void FinishPacket(size_t space,
                      QuicPacketBuilder& b,
                      bool ackEliciting,
                      uint32_t frameTypes,
                      uint32_t handle,
                      size_t datagramOffset);
    void TransmitDatagram();

    uint32_t AllocFrames();
    void FreeFrames(uint32_t handle);

    void StartClosing(uint64_t error, bool isApp, const std::string& reason, uint64_t frameType);
    void SendClose();
    void EnterDraining();
    void Terminate(bool byPeer);
    void ResetIdleTimer(Time now);

    /// \return true if KeepAliveInterval applies now (positive, connected, handshake confirmed)
    bool KeepAliveEnabled() const
    {
        return m_self->m_keepAliveInterval.IsStrictlyPositive() && m_state == CONNECTED &&
               m_handshakeConfirmed;
    }

    void RearmTimer();
    void CancelTimer(); //!< cancel m_timer if it is scheduled
    void OnTimer();
    void UpdateTracedState();
    void Drop(QuicDropReason reason, uint32_t size);
    void FireDeferredCallbacks();
    void OpenQlog();
    void QlogPacket(bool sent,
                    QuicPacketType type,
                    uint64_t pn,
                    const QuicConnectionId& dcid,
                    const QuicConnectionId& scid,
                    size_t length,
                    const uint8_t* payload,
                    size_t payloadLength);
    void QlogState(QuicQlogConnectionState state);
    void QlogMetrics();
    Time CurrentPto() const;
    QuicPacketTraceInfo MakeInfo(QuicPacketType type,
                                 uint64_t pn,
                                 uint32_t size,
                                 uint32_t frameTypes,
                                 bool ackEliciting,
                                 const QuicConnectionId& dcid,
                                 const QuicConnectionId& scid) const;
};

// =============================================================================================
// TypeId
// =============================================================================================

TypeId
QuicConnection::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::QuicConnection")
            .SetParent<Object>()
            .SetGroupName("QuicMigration")
            .AddConstructor<QuicConnection>()
            .AddAttribute("MaxIdleTimeout",
                          "max_idle_timeout advertised (RFC 9000 §10.1, §18.2); 0 disables it",
                          TimeValue(Seconds(30)),
                          MakeTimeAccessor(&QuicConnection::m_maxIdleTimeout),
                          MakeTimeChecker(Time(0), Seconds(3600)))
            .AddAttribute("MaxAckDelay",
                          "max_ack_delay advertised (RFC 9000 §18.2 default 25 ms; < 2^14 ms)",
                          TimeValue(MilliSeconds(25)),
                          MakeTimeAccessor(&QuicConnection::m_maxAckDelay),
                          MakeTimeChecker(MilliSeconds(1), MilliSeconds(16383)))
            .AddAttribute("AckDelayExponent",
                          "ack_delay_exponent advertised (RFC 9000 §18.2 default 3; <= 20)",
                          UintegerValue(3),
                          MakeUintegerAccessor(&QuicConnection::m_ackDelayExponent),
                          MakeUintegerChecker<uint32_t>(0, 20))
            .AddAttribute("AckElicitingThreshold",
                          "ack-eliciting packets received before an ACK is sent without "
                          "waiting for max_ack_delay (RFC 9000 §13.2.2 recommends 2)",
                          UintegerValue(2),
                          MakeUintegerAccessor(&QuicConnection::m_ackElicitingThreshold),
                          MakeUintegerChecker<uint32_t>(1, 1000))
            .AddAttribute("MaxUdpPayloadSize",
                          "Largest UDP payload sent, also advertised as max_udp_payload_size. "
                          "Default 1252: fits a 1280-byte IPv4 MTU without PMTU discovery "
                          "(RFC 9000 §14); at least 1200",
                          UintegerValue(1252),
                          MakeUintegerAccessor(&QuicConnection::m_maxUdpPayloadSize),
                          MakeUintegerChecker<uint32_t>(1200, 16383))
            .AddAttribute("InitialMaxData",
                          "initial_max_data advertised (RFC 9000 §18.2), bytes",
                          UintegerValue(16 << 20),
                          MakeUintegerAccessor(&QuicConnection::m_initialMaxData),
                          MakeUintegerChecker<uint64_t>(0, QUIC_VARINT_MAX))
            .AddAttribute("InitialMaxStreamData",
                          "initial_max_stream_data_{bidi_local,bidi_remote,uni} advertised "
                          "(RFC 9000 §18.2), bytes",
                          UintegerValue(8 << 20),
                          MakeUintegerAccessor(&QuicConnection::m_initialMaxStreamData),
                          MakeUintegerChecker<uint64_t>(0, QUIC_VARINT_MAX))
            .AddAttribute("InitialMaxStreamsBidi",
                          "initial_max_streams_bidi advertised (RFC 9000 §18.2)",
                          UintegerValue(100),
                          MakeUintegerAccessor(&QuicConnection::m_initialMaxStreamsBidi),
                          MakeUintegerChecker<uint64_t>(0, uint64_t{1} << 60))
            .AddAttribute("InitialMaxStreamsUni",
                          "initial_max_streams_uni advertised (RFC 9000 §18.2)",
                          UintegerValue(100),
                          MakeUintegerAccessor(&QuicConnection::m_initialMaxStreamsUni),
                          MakeUintegerChecker<uint64_t>(0, uint64_t{1} << 60))
            .AddAttribute("ActiveConnectionIdLimit",
                          "active_connection_id_limit advertised (RFC 9000 §18.2, >= 2)",
                          UintegerValue(4),
                          MakeUintegerAccessor(&QuicConnection::m_activeCidLimit),
                          MakeUintegerChecker<uint64_t>(2, 1000))
            .AddAttribute("InitialRtt",
                          "kInitialRtt before any RTT sample (RFC 9002 §6.2.2: 333 ms)",
                          TimeValue(MilliSeconds(333)),
                          MakeTimeAccessor(&QuicConnection::m_initialRtt),
                          MakeTimeChecker(MilliSeconds(1), Seconds(10)))
            .AddAttribute("CongestionControl",
                          "Congestion-control strategy (RFC 9002 App. B NewReno by default)",
                          TypeIdValue(QuicNewReno::GetTypeId()),
                          MakeTypeIdAccessor(&QuicConnection::m_congestionTypeId),
                          MakeTypeIdChecker())
            .AddAttribute("CertificateSize",
                          "DER size in bytes of the server's certificate in the TLS model; "
                          "large values make the server hit the 3x anti-amplification limit "
                          "(RFC 9000 §8.1)",
                          UintegerValue(1000),
                          MakeUintegerAccessor(&QuicConnection::m_certificateSize),
                          MakeUintegerChecker<uint32_t>(600, 60000))
            .AddAttribute("Alpn",
                          "ALPN protocol offered and accepted (RFC 9001 §8.1)",
                          StringValue("hq-interop"),
                          MakeStringAccessor(&QuicConnection::m_alpn),
                          MakeStringChecker())
            .AddAttribute("MaxAckRanges",
                          "Largest number of ACK ranges in one ACK frame (older ranges are "
                          "no longer reported, RFC 9000 §13.2.3)",
                          UintegerValue(32),
                          MakeUintegerAccessor(&QuicConnection::m_maxAckRanges),
                          MakeUintegerChecker<uint32_t>(1, 1024))
            .AddAttribute("QlogDirectory",
                          "If not empty, each connection writes a qlog 0.3 JSON-SEQ trace "
                          "<ODCID>_<client|server>.sqlog into this directory (as quic-go "
                          "names them; qvis reads them)",
                          StringValue(""),
                          MakeStringAccessor(&QuicConnection::m_qlogDirectory),
                          MakeStringChecker())
            .AddAttribute("DisableActiveMigration",
                          "Send the disable_active_migration transport parameter (RFC 9000 "
                          "§18.2): the peer must not migrate to another local address (NAT "
                          "rebinding is still handled)",
                          BooleanValue(false),
                          MakeBooleanAccessor(&QuicConnection::m_disableActiveMigration),
                          MakeBooleanChecker())
            .AddAttribute("MaxPaths",
                          "Paths (4-tuples) a connection keeps at most (bounds what an attacker "
                          "can create). When full, a new path replaces the one that failed "
                          "validation or carried nothing for longest, never the active path, "
                          "the fallback (most recently validated) path or one being moved to; "
                          "if only those are left, packets from the new address are dropped",
                          UintegerValue(4),
                          MakeUintegerAccessor(&QuicConnection::m_maxPaths),
                          MakeUintegerChecker<uint32_t>(2, 64))
            .AddAttribute("KeepStateOnPortChange",
                          "RFC 9000 §9.4 policy: when only the peer's port changed (NAT "
                          "rebinding), keep the RTT estimate and congestion window (NAT-02, "
                          "a MAY); false resets them to initial values on every new path",
                          BooleanValue(true),
                          MakeBooleanAccessor(&QuicConnection::m_keepStateOnPortChange),
                          MakeBooleanChecker())
            .AddAttribute("ValidationReuseWindow",
                          "A peer address validated this recently is not validated again when "
                          "the peer returns to it (RFC 9000 §9.3, MIG-12)",
                          TimeValue(Seconds(30)),
                          MakeTimeAccessor(&QuicConnection::m_validationReuseWindow),
                          MakeTimeChecker(Time(0)))
            .AddTraceSource("PathEvent",
                            "Path events: path_created, validation_started, path_validated, "
                            "validation_failed, peer_port_changed, peer_address_changed, "
                            "active_path_switched, migrated, fallback, migration_started, "
                            "rebound, preferred_address_probing, preferred_address_used, "
                            "preferred_address_switched, path_removed, path_discarded (addresses "
                            "as text)",
                            MakeTraceSourceAccessor(&QuicConnection::m_pathTrace),
                            "ns3::QuicConnection::PathTracedCallback")
            .AddAttribute("MaxPendingPathResponses",
                          "PATH_RESPONSEs queued per path at most; further PATH_CHALLENGEs are "
                          "not answered until the queue drains (bounds what a challenge flood "
                          "can make the connection store)",
                          UintegerValue(4),
                          MakeUintegerAccessor(&QuicConnection::m_maxPendingPathResponses),
                          MakeUintegerChecker<uint32_t>(1, 1024))
            .AddAttribute("MaxCryptoBuffer",
                          "Bytes of out-of-order CRYPTO data buffered beyond the delivered "
                          "offset per packet-number space; more closes the connection with "
                          "CRYPTO_BUFFER_EXCEEDED (RFC 9000 §7.5)",
                          UintegerValue(128 * 1024),
                          MakeUintegerAccessor(&QuicConnection::m_maxCryptoBuffer),
                          MakeUintegerChecker<uint64_t>(4096, 16 * 1024 * 1024))
            .AddAttribute("UsePreferredAddress",
                          "Client: once the handshake is confirmed, validate the server's "
                          "preferred address of the same address family, if it offered one, "
                          "and move there (RFC 9000 §9.6.1, PA-03)",
                          BooleanValue(true),
                          MakeBooleanAccessor(&QuicConnection::m_usePreferredAddress),
                          MakeBooleanChecker())
            .AddAttribute("DisabledMigrationAction",
                          "Server that sent disable_active_migration, on packets from a new "
                          "client address (RFC 9000 §9, MIG-03): Validate the path and let the "
                          "client move (NAT rebinding keeps working), or Drop them silently. "
                          "Neither sends a stateless reset or closes the connection.",
                          EnumValue(QuicConnection::VALIDATE_PEER),
                          MakeEnumAccessor(&QuicConnection::m_disabledMigrationAction),
                          MakeEnumChecker(QuicConnection::VALIDATE_PEER,
                                          "Validate",
                                          QuicConnection::DROP_PACKETS,
                                          "Drop"))
            .AddAttribute("CidRotationInterval",
                          "If positive, the connection switches its Destination Connection ID "
                          "to a fresh one from the peer at this interval once the handshake is "
                          "confirmed, and retires the old one (RFC 9000 §9.5, privacy)",
                          TimeValue(Time(0)),
                          MakeTimeAccessor(&QuicConnection::m_cidRotationInterval),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("KeepAliveInterval",
                          "If positive, a connection that sent no ack-eliciting packet for this "
                          "long sends a PING to keep middlebox bindings and the idle timer alive "
                          "(RFC 9000 §10.1.2, NAT-05); 0 (default) disables keep-alives",
                          TimeValue(Time(0)),
                          MakeTimeAccessor(&QuicConnection::m_keepAliveInterval),
                          MakeTimeChecker(Time(0)))
            .AddTraceSource("Closed",
                            "The connection reached the closed state: error code of the "
                            "CONNECTION_CLOSE (0 for idle timeout or stateless reset) and whether "
                            "the peer closed it",
                            MakeTraceSourceAccessor(&QuicConnection::m_closedTrace),
                            "ns3::QuicConnection::ClosedTracedCallback")
            .AddTraceSource("ConnectionIdEvent",
                            "Connection-ID events: issued / retired_local (our CIDs), "
                            "retired_peer, rotated, stateless_reset_received (RFC 9000 §5.1, "
                            "§10.3)",
                            MakeTraceSourceAccessor(&QuicConnection::m_cidTrace),
                            "ns3::QuicConnection::CidTracedCallback")
            .AddTraceSource("PacketSent",
                            "A QUIC packet was sent",
                            MakeTraceSourceAccessor(&QuicConnection::m_packetSentTrace),
                            "ns3::QuicConnection::PacketTracedCallback")
            .AddTraceSource("PacketReceived",
                            "A QUIC packet was received and authenticated",
                            MakeTraceSourceAccessor(&QuicConnection::m_packetReceivedTrace),
                            "ns3::QuicConnection::PacketTracedCallback")
            .AddTraceSource("PacketLost",
                            "A sent packet was declared lost (RFC 9002 §6.1)",
                            MakeTraceSourceAccessor(&QuicConnection::m_packetLostTrace),
                            "ns3::QuicConnection::PacketTracedCallback")
            .AddTraceSource("PacketDropped",
                            "A received packet or datagram was dropped",
                            MakeTraceSourceAccessor(&QuicConnection::m_packetDroppedTrace),
                            "ns3::QuicConnection::DropTracedCallback")
            .AddTraceSource("HandshakeEvent",
                            "Handshake milestones: initial_sent, handshake_keys, 1rtt_keys, "
                            "handshake_complete, handshake_confirmed, closed",
                            MakeTraceSourceAccessor(&QuicConnection::m_handshakeTrace),
                            "ns3::QuicConnection::HandshakeTracedCallback")
            .AddTraceSource("StreamDataDelivered",
                            "Stream data delivered in order to the application",
                            MakeTraceSourceAccessor(&QuicConnection::m_streamDataTrace),
                            "ns3::QuicConnection::StreamDataTracedCallback")
            .AddTraceSource("CongestionWindow",
                            "Congestion window of the active path, bytes",
                            MakeTraceSourceAccessor(&QuicConnection::m_cwnd),
                            "ns3::TracedValueCallback::Uint64")
            .AddTraceSource("BytesInFlight",
                            "Bytes in flight on the active path",
                            MakeTraceSourceAccessor(&QuicConnection::m_bytesInFlight),
                            "ns3::TracedValueCallback::Uint64")
            .AddTraceSource("SmoothedRtt",
                            "Smoothed RTT of the active path (RFC 9002 §5.3)",
                            MakeTraceSourceAccessor(&QuicConnection::m_smoothedRtt),
                            "ns3::TracedValueCallback::Time")
            .AddTraceSource("LatestRtt",
                            "Latest RTT sample of the active path (RFC 9002 §5.1)",
                            MakeTraceSourceAccessor(&QuicConnection::m_latestRtt),
                            "ns3::TracedValueCallback::Time");
    return tid;
}

// =============================================================================================
// Construction, accessors, application interface
// =============================================================================================

QuicConnection::QuicConnection()
    : m_impl(std::make_unique<Impl>()),
      m_cwnd(0),
      m_bytesInFlight(0)
{
    NS_LOG_FUNCTION(this);
    m_impl->m_self = this;
    m_rng = CreateObject<UniformRandomVariable>();
}

QuicConnection::~QuicConnection()
{
    NS_LOG_FUNCTION(this);
}

void
QuicConnection::DoDispose()
{
    NS_LOG_FUNCTION(this);
    Simulator::Cancel(m_impl->m_timer);
    m_impl->m_timerArmed = false;
    m_impl->m_endpoint = nullptr;
    m_impl->m_dataCallback = StreamDataCallback();
    m_impl->m_confirmedCallback = Callback<void, Ptr<QuicConnection>>();
    m_impl->m_completeCallback = Callback<void, Ptr<QuicConnection>>();
    if (m_impl->m_qlog)
    {
        m_impl->m_qlog->Close();
        m_impl->m_qlog = nullptr;
    }
    m_impl->m_sendReadyCallback = Callback<void, Ptr<QuicConnection>, uint64_t>();
    m_impl->m_closedCallback = Callback<void, Ptr<QuicConnection>, uint64_t, bool>();
    m_impl->m_recovery = nullptr;
    m_impl->m_cc = nullptr;
    m_rng = nullptr;
    Object::DoDispose();
}

QuicConnection::Role
QuicConnection::GetRole() const
{
    return m_impl->m_role;
}

QuicConnection::State
QuicConnection::GetState() const
{
    return m_impl->m_state;
}

bool
QuicConnection::IsHandshakeComplete() const
{
    return m_impl->m_handshakeComplete;
}

bool
QuicConnection::IsHandshakeConfirmed() const
{
    return m_impl->m_handshakeConfirmed;
}

const QuicConnectionId&
QuicConnection::GetOriginalDestinationCid() const
{
    return m_impl->m_originalDcid;
}

const QuicConnectionId&
QuicConnection::GetLocalCid() const
{
    return m_impl->m_localCid;
}

const QuicConnectionId&
QuicConnection::GetPeerCid() const
{
    return m_impl->m_peerCid;
}

Ptr<QuicEndpoint>
QuicConnection::GetEndpoint() const
{
    return m_impl->m_endpoint;
}

const QuicPath&
QuicConnection::GetActivePath() const
{
    return *m_impl->m_path;
}

const QuicConnectionStats&
QuicConnection::GetStats() const
{
    return m_impl->m_stats;
}

uint64_t
QuicConnection::GetCongestionWindow() const
{
    return m_impl->m_path ? m_impl->m_path->Congestion().m_congestionWindow : 0;
}

Time
QuicConnection::GetSmoothedRtt() const
{
    return m_impl->m_path ? m_impl->m_path->Rtt().GetSmoothedRtt() : Time(0);
}

const QuicTransportParameters&
QuicConnection::GetPeerTransportParameters() const
{
    return m_impl->m_peerTp;
}

uint64_t
QuicConnection::GetCloseErrorCode() const
{
    return m_impl->m_closeError;
}

int64_t
QuicConnection::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

int64_t
QuicConnection::OpenStream(bool bidirectional)
{
    Impl& c = *m_impl;
    if (!c.m_streams || c.m_state != CONNECTED)
    {
        return -1;
    }
    QuicStream* s = c.m_streams->OpenStream(bidirectional ? QuicStreamDirection::BIDIRECTIONAL
                                                          : QuicStreamDirection::UNIDIRECTIONAL);
    if (s == nullptr)
    {
        c.SendPending(); // STREAMS_BLOCKED
        return -1;
    }
    return static_cast<int64_t>(s->GetId());
}

size_t
QuicConnection::Send(uint64_t streamId, const uint8_t* data, size_t size)
{
    Impl& c = *m_impl;
    QuicSendStream* send = c.SendStreamFor(streamId, true);
    if (send == nullptr)
    {
        return 0;
    }
    size_t n = send->Write(data, size);
    if (n > 0)
    {
        c.SendPending();
    }
    return n;
}

uint64_t
QuicConnection::SendPattern(uint64_t streamId, uint64_t bytes)
{
    Impl& c = *m_impl;
    QuicSendStream* send = c.SendStreamFor(streamId, true);
    if (send == nullptr)
    {
        return 0;
    }
    uint64_t n = send->WriteVirtual(bytes);
    if (n > 0)
    {
        c.SendPending();
    }
    return n;
}

bool
QuicConnection::FinishStream(uint64_t streamId)
{
    Impl& c = *m_impl;
    QuicSendStream* send = c.SendStreamFor(streamId, true);
    if (send == nullptr)
    {
        return false;
    }
    bool ok = send->Finish();
    c.SendPending();
    return ok;
}

bool
QuicConnection::ResetStream(uint64_t streamId, uint64_t applicationErrorCode)
{
    Impl& c = *m_impl;
    QuicSendStream* send = c.SendStreamFor(streamId, true);
    if (send == nullptr)
    {
        return false;
    }
    bool ok = send->Reset(applicationErrorCode);
    c.SendPending();
    return ok;
}

bool
QuicConnection::StopSending(uint64_t streamId, uint64_t applicationErrorCode)
{
    Impl& c = *m_impl;
    QuicReceiveStream* receive = c.ReceiveStreamFor(streamId);
    if (receive == nullptr)
    {
        return false;
    }
    bool ok = receive->StopSending(applicationErrorCode);
    c.SendPending();
    return ok;
}

uint64_t
QuicConnection::GetWritableBytes(uint64_t streamId) const
{
    QuicSendStream* send = m_impl->SendStreamFor(streamId, false);
    return send == nullptr ? 0 : send->GetWritableBytes();
}

void
QuicConnection::Close(uint64_t applicationErrorCode, const std::string& reason)
{
    Impl& c = *m_impl;
    if (c.m_state == CLOSING || c.m_state == DRAINING || c.m_state == CLOSED || !c.m_started)
    {
        return;
    }
    c.StartClosing(applicationErrorCode, true, reason, 0);
}

void
QuicConnection::SetStreamDataCallback(StreamDataCallback cb)
{
    m_impl->m_dataCallback = cb;
}

void
QuicConnection::SetHandshakeCompleteCallback(Callback<void, Ptr<QuicConnection>> cb)
{
    m_impl->m_completeCallback = cb;
}

void
QuicConnection::SetHandshakeConfirmedCallback(Callback<void, Ptr<QuicConnection>> cb)
{
    m_impl->m_confirmedCallback = cb;
}

void
QuicConnection::SetSendReadyCallback(Callback<void, Ptr<QuicConnection>, uint64_t> cb)
{
    m_impl->m_sendReadyCallback = cb;
}

void
QuicConnection::SetClosedCallback(Callback<void, Ptr<QuicConnection>, uint64_t, bool> cb)
{
    m_impl->m_closedCallback = cb;
}

QuicSendStream*
QuicConnection::Impl::SendStreamFor(uint64_t streamId, bool requireConnected)
{
    if (!m_streams || (requireConnected && m_state != CONNECTED))
    {
        return nullptr;
    }
    QuicStream* s = m_streams->GetStream(streamId);
    return s == nullptr ? nullptr : s->GetSendStream();
}

QuicReceiveStream*
QuicConnection::Impl::ReceiveStreamFor(uint64_t streamId)
{
    if (!m_streams || m_state != CONNECTED)
    {
        return nullptr;
    }
    QuicStream* s = m_streams->GetStream(streamId);
    return s == nullptr ? nullptr : s->GetReceiveStream();
}

// =============================================================================================
// Set-up and handshake
// =============================================================================================

void
QuicConnection::StartClient(Ptr<QuicEndpoint> endpoint,
                            Ptr<Socket> socket,
                            const Address& local,
                            const Address& remote,
                            const std::string& serverName)
{
    NS_LOG_FUNCTION(this);
    Impl& c = *m_impl;
    c.m_role = CLIENT;
    c.Setup(endpoint, socket, local, remote);
    // RFC 9000 §7.2: an unpredictable Destination Connection ID of at least 8 bytes.
    uint8_t dcid[8];
    FillRandom(m_rng, dcid, sizeof(dcid));
    c.m_originalDcid.Set(dcid, sizeof(dcid));
    c.m_peerCid = c.m_originalDcid;
    c.ConfigureCids();
    c.m_localCid = endpoint->GenerateCid();
    c.m_cids.SetInitialLocalCid(c.m_localCid);
    if (c.m_localCid.IsEmpty() && !endpoint->RegisterTuple(local, remote, this))
    {
        NS_LOG_WARN("zero-length connection ID: 4-tuple already in use");
    }
    c.InstallInitialKeys(c.m_originalDcid);
    c.m_path->SetValidated(true); // the client chose the server's address
    c.OpenQlog();
    c.SetupTls(serverName);
    c.CollectTlsOutput();
    endpoint->NotifyNewConnection(this);
    // The first flight leaves from an event, so that Connect() may be called before
    // Simulator::Run() (nodes and devices are initialized when the simulation starts).
    Simulator::ScheduleNow(&Impl::SendPending, &c);
}

void
QuicConnection::StartServer(Ptr<QuicEndpoint> endpoint,
                            Ptr<Socket> socket,
                            const Address& local,
                            const Address& remote,
                            const QuicConnectionId& originalDcid,
                            const QuicConnectionId& clientScid)
{
    NS_LOG_FUNCTION(this);
    Impl& c = *m_impl;
    c.m_role = SERVER;
    c.Setup(endpoint, socket, local, remote);
    c.m_originalDcid = originalDcid;
    c.m_peerCid = clientScid;
    c.m_peerInitialScid = clientScid;
    c.m_peerCidSet = true;
    c.ConfigureCids();
    c.m_cids.SetInitialPeerCid(clientScid, 0);
    c.m_localCid = endpoint->GenerateCid();
    c.m_cids.SetInitialLocalCid(c.m_localCid);
    if (c.m_localCid.IsEmpty())
    {
        endpoint->RegisterTuple(local, remote, this);
    }
    // The client's original DCID has no sequence number (RFC 9000 §5.1.1): routed apart.
    endpoint->RegisterCid(c.m_originalDcid, this);
    c.InstallInitialKeys(c.m_originalDcid);
    c.OpenQlog();
    c.SetupTls("");
}

void
QuicConnection::Impl::Setup(Ptr<QuicEndpoint> endpoint,
                            Ptr<Socket> socket,
                            const Address& local,
                            const Address& remote)
{
    QuicConnection& q = *m_self;
    m_endpoint = endpoint;
    m_started = true;
    auto ctx = std::make_unique<PathCtx>();
    ctx->m_path = std::make_unique<QuicPath>(0, local, remote, socket);
    m_active = ctx.get();
    m_path = ctx->m_path.get();
    m_paths.push_back(std::move(ctx));
    m_handshakeLocal = local;
    for (auto& b : m_flowLabelKey)
    {
        b = static_cast<uint8_t>(q.m_rng->GetInteger(0, 255));
    }
    m_path->Rtt().SetInitialRtt(q.m_initialRtt);
    m_path->Rtt().Reset();

    ObjectFactory factory;
    factory.SetTypeId(q.m_congestionTypeId);
    m_cc = factory.Create<QuicCongestionOps>();
    QuicCongestionState& cs = m_path->Congestion();
    cs.m_maxDatagramSize = q.m_maxUdpPayloadSize;
    m_cc->Reset(cs);

    m_recovery = CreateObject<QuicLossRecovery>();
    m_recovery->SetIsServer(m_role == SERVER);
    m_recovery->AddPath(0, &m_path->Rtt(), &m_path->Congestion(), m_cc);
    m_recovery->SetActivePath(0);

    QuicStreamManagerConfig sc;
    sc.role = m_role == CLIENT ? QuicStreamInitiator::CLIENT : QuicStreamInitiator::SERVER;
    sc.local.maxData = q.m_initialMaxData;
    sc.local.maxStreamDataBidiLocal = q.m_initialMaxStreamData;
    sc.local.maxStreamDataBidiRemote = q.m_initialMaxStreamData;
    sc.local.maxStreamDataUni = q.m_initialMaxStreamData;
    sc.local.maxStreamsBidi = q.m_initialMaxStreamsBidi;
    sc.local.maxStreamsUni = q.m_initialMaxStreamsUni;
    sc.maxConnectionWindow = std::max<uint64_t>(q.m_initialMaxData, sc.maxConnectionWindow);
    sc.maxStreamWindow = std::max<uint64_t>(q.m_initialMaxStreamData, sc.maxStreamWindow);
    m_streams = std::make_unique<QuicStreamManager>(sc);

    m_idleTimeout = q.m_maxIdleTimeout;
    UpdateTracedState();
}

void
QuicConnection::Impl::InstallInitialKeys(const QuicConnectionId& dcid)
{
    QuicPacketKeys client;
    QuicPacketKeys server;
    QuicDeriveInitialKeys(dcid, client, server);
    PnSpace& sp = m_spaces[0];
    sp.m_tx.Init(m_role == CLIENT ? client : server);
    sp.m_rx.Init(m_role == CLIENT ? server : client);
    sp.m_txReady = true;
    sp.m_rxReady = true;
}

void
QuicConnection::Impl::SetupTls(const std::string& serverName)
{
    QuicConnection& q = *m_self;
    QuicTlsConfig config;
    FillRandom(q.m_rng, config.random.data(), config.random.size());
    FillRandom(q.m_rng, config.keyShare.data(), config.keyShare.size());
    config.alpn = {q.m_alpn};
    config.serverName = serverName;
    config.certificateSize = q.m_certificateSize;
    config.certificateSeed = m_endpoint->GetCertificateSeed();
    config.keepLogs = false; // key log lines go to OnKeyLog(); nothing kept per connection

    // Transport parameters (RFC 9000 §18.2).
    QuicTransportParameters tp; // encoded into the TLS configuration, not kept
    tp.SetMaxIdleTimeout(static_cast<uint64_t>(q.m_maxIdleTimeout.GetMilliSeconds()));
    tp.SetMaxUdpPayloadSize(q.m_maxUdpPayloadSize);
    tp.SetInitialMaxData(q.m_initialMaxData);
    tp.SetInitialMaxStreamDataBidiLocal(q.m_initialMaxStreamData);
    tp.SetInitialMaxStreamDataBidiRemote(q.m_initialMaxStreamData);
    tp.SetInitialMaxStreamDataUni(q.m_initialMaxStreamData);
    tp.SetInitialMaxStreamsBidi(q.m_initialMaxStreamsBidi);
    tp.SetInitialMaxStreamsUni(q.m_initialMaxStreamsUni);
    tp.SetAckDelayExponent(q.m_ackDelayExponent);
    tp.SetMaxAckDelay(static_cast<uint64_t>(q.m_maxAckDelay.GetMilliSeconds()));
    tp.SetActiveConnectionIdLimit(q.m_activeCidLimit);
    tp.SetInitialSourceConnectionId(m_localCid);
    if (m_localCid.IsEmpty() || q.m_disableActiveMigration)
    {
        // RFC 9000 §5.1 (CID-02) / §5.2.3 (CID-16): routed by address (or configured so),
        // the peer must not move to another address.
        tp.SetDisableActiveMigration(true);
    }
    if (m_role == SERVER)
    {
        tp.SetOriginalDestinationConnectionId(m_originalDcid);
        std::optional<QuicResetToken> token = m_cids.GetLocalResetToken(0);
        if (token && !m_localCid.IsEmpty())
        {
            tp.SetStatelessResetToken(*token);
        }
        // RFC 9000 §9.6 (PA-01, PA-02): offer the endpoint's preferred address(es) with the
        // connection ID of sequence number 1 (never with zero-length connection IDs).
        const Address& v4 = m_endpoint->GetPreferredAddressIpv4();
        const Address& v6 = m_endpoint->GetPreferredAddressIpv6();
        QuicConnectionId paCid;
        QuicResetToken paToken{};
        if ((!v4.IsInvalid() || !v6.IsInvalid()) && !m_localCid.IsEmpty() &&
            m_cids.IssuePreferredAddressCid(paCid, paToken))
        {
            QuicPreferredAddress pa;
            if (!v4.IsInvalid())
            {
                InetSocketAddress a = InetSocketAddress::ConvertFrom(v4);
                pa.SetIpv4(a.GetIpv4(), a.GetPort());
            }
            if (!v6.IsInvalid())
            {
                Inet6SocketAddress a = Inet6SocketAddress::ConvertFrom(v6);
                pa.SetIpv6(a.GetIpv6(), a.GetPort());
            }
            pa.connectionId = paCid;
            pa.statelessResetToken = paToken;
            tp.SetPreferredAddress(pa);
        }
    }
    m_localMigrationDisabled = tp.IsActiveMigrationDisabled();
    std::vector<uint8_t> tpBytes;
    QuicBufferWriter w(tpBytes);
    tp.Encode(w);
    config.transportParameters = tpBytes;

    m_tls = std::make_unique<QuicTlsHandshake>(m_role == CLIENT ? QuicTlsRole::CLIENT
                                                                : QuicTlsRole::SERVER,
                                               config);
    m_tls->SetSecretsCallback(MakeCallback(&Impl::OnTlsSecrets, this));
    m_tls->SetHandshakeCompleteCallback(MakeCallback(&Impl::OnTlsComplete, this));
    m_tls->SetKeyLogCallback(MakeCallback(&Impl::OnKeyLog, this));
    if (m_role == CLIENT)
    {
        QuicTransportError err = m_tls->Start();
        if (err != QuicTransportError::NO_ERROR)
        {
            StartClosing(static_cast<uint64_t>(err), false, "TLS start failed", 0);
        }
    }
}

void
QuicConnection::Impl::OnTlsSecrets(QuicTlsLevel level, const QuicTlsTrafficSecrets& secrets)
{
    size_t i = static_cast<size_t>(level);
    if (i >= QUIC_PN_SPACE_COUNT)
    {
        return;
    }
    QuicPacketKeys clientKeys;
    QuicPacketKeys serverKeys;
    QuicDerivePacketKeys(secrets.client, clientKeys);
    QuicDerivePacketKeys(secrets.server, serverKeys);
    PnSpace& sp = m_spaces[i];
    sp.m_tx.Init(m_role == CLIENT ? clientKeys : serverKeys);
    sp.m_rx.Init(m_role == CLIENT ? serverKeys : clientKeys);
    sp.m_txReady = true;
    sp.m_rxReady = true;
    if (m_qlog)
    {
        bool hs = level == QuicTlsLevel::HANDSHAKE;
        m_qlog->KeyUpdated(Simulator::Now(),
                           hs ? QuicQlogKeyType::CLIENT_HANDSHAKE_SECRET
                              : QuicQlogKeyType::CLIENT_1RTT_SECRET,
                           QuicQlogKeyTrigger::TLS);
        m_qlog->KeyUpdated(Simulator::Now(),
                           hs ? QuicQlogKeyType::SERVER_HANDSHAKE_SECRET
                              : QuicQlogKeyType::SERVER_1RTT_SECRET,
                           QuicQlogKeyTrigger::TLS);
    }
    if (level == QuicTlsLevel::HANDSHAKE)
    {
        m_recovery->SetHasHandshakeKeys(true);
        m_self->m_handshakeTrace(m_self, "handshake_keys");
    }
    else if (level == QuicTlsLevel::APPLICATION)
    {
        m_self->m_handshakeTrace(m_self, "1rtt_keys");
    }
}

void
QuicConnection::Impl::OnTlsComplete()
{
    Time now = Simulator::Now();
    m_handshakeComplete = true;
    m_stats.m_handshakeCompleteTime = now;
    if (m_state == HANDSHAKING)
    {
        m_state = CONNECTED;
    }
    m_self->m_handshakeTrace(m_self, "handshake_complete");
    QlogState(QuicQlogConnectionState::HANDSHAKE_COMPLETE);
    m_completePending = true;
    if (!m_localCid.IsEmpty())
    {
        // RFC 9000 §5.1.1 (CID-06): supply the peer with spare connection IDs.
        m_cids.ReplenishLocalCids();
    }
    if (m_self->m_cidRotationInterval.IsStrictlyPositive())
    {
        m_nextRotation = now + m_self->m_cidRotationInterval;
    }
    if (m_role == SERVER)
    {
        // RFC 9001 §4.1.2: the server's handshake is confirmed when it completes, and it
        // sends HANDSHAKE_DONE (HS-02).
        m_handshakeDonePending = true;
        ConfirmHandshake();
    }
}

void
QuicConnection::Impl::ConfirmHandshake()
{
    if (m_handshakeConfirmed)
    {
        return;
    }
    Time now = Simulator::Now();
    m_handshakeConfirmed = true;
    m_stats.m_handshakeConfirmedTime = now;
    // The handshake path is a validated path (RFC 9000 §8.1, §9.3.2: the fallback target).
    m_active->m_everValidated = true;
    m_active->m_lastValidated = now;
    m_recovery->OnHandshakeConfirmed(now);
    // RFC 9001 §4.9.2: Handshake keys are discarded once the handshake is confirmed.
    DiscardSpace(1);
    m_self->m_handshakeTrace(m_self, "handshake_confirmed");
    QlogState(QuicQlogConnectionState::HANDSHAKE_CONFIRMED);
    if (m_role == CLIENT && m_self->m_usePreferredAddress &&
        m_peerTp.Has(QuicTransportParameterId::PREFERRED_ADDRESS))
    {
        StartPreferredAddressMigration();
    }
    m_confirmedPending = true;
    if (m_inReceive == 0)
    {
        FireDeferredCallbacks();
    }
}

void
QuicConnection::Impl::FireDeferredCallbacks()
{
    if (m_handshakeConfirmed && m_tls && m_inReceive == 0)
    {
        // Confirmed (RFC 9001 §4.1.2), peer transport parameters applied, Initial and
        // Handshake keys gone: only post-handshake messages can follow, and an established
        // connection keeps just that part of TLS. Done here, outside any TLS call (the server
        // confirms from within the TLS completion callback).
        m_tlsPost = m_tls->GetPostHandshake();
        m_tls.reset();
    }
    // Application callbacks run after a datagram is processed, never in the middle of it, so
    // that an application calling Send() or OpenStream() cannot re-enter the receive path.
    if (m_completePending)
    {
        m_completePending = false;
        if (!m_completeCallback.IsNull())
        {
            m_completeCallback(m_self);
        }
    }
    if (m_confirmedPending)
    {
        m_confirmedPending = false;
        if (!m_confirmedCallback.IsNull())
        {
            m_confirmedCallback(m_self);
        }
    }
}

void
QuicConnection::Impl::OnKeyLog(const std::string& line)
{
    if (m_endpoint)
    {
        m_endpoint->WriteKeyLog(line);
    }
}

void
QuicConnection::Impl::CollectTlsOutput()
{
    if (!m_tls)
    {
        return;
    }
    for (size_t i = 0; i < QUIC_TLS_LEVEL_COUNT && i < QUIC_PN_SPACE_COUNT; ++i)
    {
        if (m_tls->GetOutgoingSize(LevelOf(i)) == 0)
        {
            continue;
        }
        std::vector<uint8_t> out = m_tls->TakeOutgoing(LevelOf(i));
        PnSpace& sp = m_spaces[i];
        if (sp.m_discarded)
        {
            continue;
        }
        sp.m_cryptoOut.insert(sp.m_cryptoOut.end(), out.begin(), out.end());
    }
    if (m_tls->HasFailed())
    {
        StartClosing(static_cast<uint64_t>(m_tls->GetError()), false, "TLS alert", 0x06);
        return;
    }
    if (!m_peerTpApplied && m_tls->HasPeerTransportParameters())
    {
        ApplyPeerTransportParameters();
    }
}

void
QuicConnection::Impl::ApplyPeerTransportParameters()
{
    m_peerTpApplied = true;
    const std::vector<uint8_t>& bytes = m_tls->GetPeerTransportParameters();
    QuicTransportParameterError err;
    QuicTransportError e = QuicTransportParameters::Decode(bytes.data(),
                                                           bytes.size(),
                                                           m_role == CLIENT,
                                                           m_peerTp,
                                                           &err);
    if (e == QuicTransportError::NO_ERROR)
    {
        // RFC 9000 §7.3: authenticate the connection IDs of the handshake (CID-18).
        QuicHandshakeConnectionIds seen;
        seen.peerInitialSourceCid = m_peerInitialScid;
        seen.originalDestinationCid = m_originalDcid;
        e = m_peerTp.ValidateConnectionIds(m_role == CLIENT, seen, &err);
    }
    if (e != QuicTransportError::NO_ERROR)
    {
        StartClosing(static_cast<uint64_t>(e), false, err.reason, 0x06);
        return;
    }
    QuicStreamLimits limits;
    limits.maxData = m_peerTp.GetInitialMaxData();
    limits.maxStreamDataBidiLocal = m_peerTp.GetInitialMaxStreamDataBidiLocal();
    limits.maxStreamDataBidiRemote = m_peerTp.GetInitialMaxStreamDataBidiRemote();
    limits.maxStreamDataUni = m_peerTp.GetInitialMaxStreamDataUni();
    limits.maxStreamsBidi = m_peerTp.GetInitialMaxStreamsBidi();
    limits.maxStreamsUni = m_peerTp.GetInitialMaxStreamsUni();
    QuicTransportError se = m_streams->SetPeerLimits(limits);
    if (se != QuicTransportError::NO_ERROR)
    {
        StartClosing(static_cast<uint64_t>(se), false, "stream limits", 0x06);
        return;
    }
    m_cids.SetPeerActiveConnectionIdLimit(m_peerTp.GetActiveConnectionIdLimit());
    if (m_role == CLIENT && m_peerTp.Has(QuicTransportParameterId::STATELESS_RESET_TOKEN))
    {
        QuicTransportError te = m_cids.SetInitialPeerResetToken(m_peerTp.GetStatelessResetToken());
        if (te != QuicTransportError::NO_ERROR)
        {
            StartClosing(static_cast<uint64_t>(te), false, "stateless_reset_token", 0x06);
            return;
        }
        m_endpoint->RegisterResetToken(m_peerTp.GetStatelessResetToken(), m_self);
    }
    if (m_role == CLIENT && m_peerTp.Has(QuicTransportParameterId::PREFERRED_ADDRESS))
    {
        // RFC 9000 §5.1.1 (CID-03): the preferred address carries the peer's CID of sequence
        // number 1, usable on any path (PA-13).
        const QuicPreferredAddress& pa = m_peerTp.GetPreferredAddress();
        QuicTransportError pe =
            m_cids.AddPreferredAddressPeerCid(pa.connectionId, pa.statelessResetToken);
        if (pe != QuicTransportError::NO_ERROR)
        {
            StartClosing(static_cast<uint64_t>(pe), false, "preferred_address", 0x06);
            return;
        }
        m_endpoint->RegisterResetToken(pa.statelessResetToken, m_self);
    }
    m_recovery->SetPeerMaxAckDelay(MilliSeconds(m_peerTp.GetMaxAckDelay()));
    m_peerAckDelayExponent = m_peerTp.GetAckDelayExponent();
    m_peerMaxUdpPayload = static_cast<uint32_t>(
        std::min<uint64_t>(m_peerTp.GetMaxUdpPayloadSize(), std::numeric_limits<uint32_t>::max()));
    // RFC 9000 §10.1: the effective idle timeout is the minimum of the non-zero values.
    Time peerIdle = MilliSeconds(m_peerTp.GetMaxIdleTimeout());
    if (m_idleTimeout.IsZero() || (!peerIdle.IsZero() && peerIdle < m_idleTimeout))
    {
        m_idleTimeout = peerIdle;
    }
}

void
QuicConnection::Impl::DiscardSpace(size_t space)
{
    PnSpace& sp = m_spaces[space];
    if (sp.m_discarded)
    {
        return;
    }
    sp.m_discarded = true;
    sp.m_txReady = false;
    sp.m_rxReady = false;
    // Free (not only clear) what the space held: keys and CRYPTO buffers of the Initial and
    // Handshake spaces are never needed again (RFC 9001 §4.9), and an idle connection should
    // not keep them.
    sp.m_tx = QuicPacketProtector();
    sp.m_rx = QuicPacketProtector();
    std::vector<uint8_t>().swap(sp.m_cryptoOut);
    sp.m_cryptoRetransmit.release();
    sp.m_cryptoIn.clear();
    sp.m_ackNeeded = false;
    sp.m_probes = 0;
    m_recovery->OnPacketNumberSpaceDiscarded(SpaceOf(space), Simulator::Now());
    if (m_qlog && space < 2)
    {
        bool initial = space == 0;
        m_qlog->KeyDiscarded(Simulator::Now(),
                             initial ? QuicQlogKeyType::CLIENT_INITIAL_SECRET
                                     : QuicQlogKeyType::CLIENT_HANDSHAKE_SECRET,
                             QuicQlogKeyTrigger::TLS);
        m_qlog->KeyDiscarded(Simulator::Now(),
                             initial ? QuicQlogKeyType::SERVER_INITIAL_SECRET
                                     : QuicQlogKeyType::SERVER_HANDSHAKE_SECRET,
                             QuicQlogKeyTrigger::TLS);
    }
    UpdateTracedState();
}

// =============================================================================================
// Paths, path validation and migration (RFC 9000 §8.2, §9)
// =============================================================================================

PathCtx*
QuicConnection::Impl::FindPath(const Address& local, const Address& remote)
{
    for (auto& p : m_paths)
    {
        if (p->m_path->GetRemoteAddress() == remote && p->m_path->GetLocalAddress() == local)
        {
            return p.get();
        }
    }
    return nullptr;
}

PathCtx*
QuicConnection::Impl::AddPath(const Address& local,
                              const Address& remote,
                              Ptr<Socket> socket,
                              const QuicPath* inheritFrom)
{
    auto ctx = std::make_unique<PathCtx>();
    ctx->m_lastRx = Simulator::Now();
    uint32_t id = m_nextPathId++;
    ctx->m_path = std::make_unique<QuicPath>(id, local, remote, socket);
    QuicPath& p = *ctx->m_path;
    p.Rtt().SetInitialRtt(m_self->m_initialRtt);
    p.Rtt().Reset();
    p.Congestion().m_maxDatagramSize = m_path->Congestion().m_maxDatagramSize;
    m_cc->Reset(p.Congestion());
    if (inheritFrom != nullptr)
    {
        // RFC 9000 §9.4 (NAT-02): only the peer's port changed: keep the RTT estimate and
        // congestion window; packets in flight stay on the old path (CC-01).
        p.Rtt() = inheritFrom->Rtt();
        QuicCongestionState cs = inheritFrom->Congestion();
        cs.m_bytesInFlight = 0;
        p.Congestion() = cs;
    }
    m_recovery->AddPath(id, &p.Rtt(), &p.Congestion(), m_cc);
    PathCtx* raw = ctx.get();
    m_paths.push_back(std::move(ctx));
    m_self->m_pathTrace(m_self,
                        "path_created",
                        QuicPath::AddressToString(local),
                        QuicPath::AddressToString(remote));
    return raw;
}

QuicQlogPath
QuicConnection::Impl::QlogPathOf(const PathCtx* ctx)
{
    QuicQlogPath qp;
    qp.m_local = QuicQlogWriter::FormatAddress(ctx->m_path->GetLocalAddress());
    qp.m_remote = QuicQlogWriter::FormatAddress(ctx->m_path->GetRemoteAddress());
    qp.m_pathId = ctx->m_path->GetId();
    return qp;
}

void
QuicConnection::Impl::TracePath(const char* event, const PathCtx* ctx)
{
    m_self->m_pathTrace(m_self,
                        event,
                        QuicPath::AddressToString(ctx->m_path->GetLocalAddress()),
                        QuicPath::AddressToString(ctx->m_path->GetRemoteAddress()));
}

Time
QuicConnection::Impl::NewPathPto() const
{
    // PTO of a path without RTT sample: kInitialRtt + 4 x kInitialRtt/2 (RFC 9002 §6.2.2).
    QuicRttEstimator fresh;
    fresh.SetInitialRtt(m_self->m_initialRtt);
    fresh.Reset();
    Time mad = m_handshakeConfirmed ? m_recovery->GetPeerMaxAckDelay() : Time(0);
    return fresh.GetPto(mad);
}

void
QuicConnection::Impl::StartValidation(PathCtx* ctx)
{
    Time pto = ctx->m_path->Rtt().HasSample()
                   ? ctx->m_path->Rtt().GetPto(m_recovery->GetPeerMaxAckDelay())
                   : NewPathPto();
    // RFC 9000 §8.2.4 (PV-14): give up after 3 x max(current PTO, PTO with kInitialRtt).
    Time abandon = 3 * std::max(CurrentPto(), NewPathPto());
    Ptr<UniformRandomVariable> rng = m_self->m_rng;
    ctx->m_validator.Start(Simulator::Now(), pto, abandon, [rng](uint8_t* d, size_t n) {
        // PV-03: fresh unpredictable data for every challenge.
        for (size_t i = 0; i < n; ++i)
        {
            d[i] = static_cast<uint8_t>(rng->GetInteger(0, 255));
        }
    });
    TracePath("validation_started", ctx);
}

void
QuicConnection::Impl::SwitchActivePath(PathCtx* ctx, const char* reason)
{
    if (ctx == m_active)
    {
        return;
    }
    PathCtx* old = m_active;
    if (m_role == SERVER)
    {
        // RFC 9000 §9.5 (PRIV-03): the path left keeps the CID in use on it (rotations
        // included), for packets still sent there (e.g. validating it again, SEC-04).
        old->m_dcid = m_peerCid;
    }
    m_active = ctx;
    m_path = ctx->m_path.get();
    if (!ctx->m_dcid.IsEmpty() || m_peerCid.IsEmpty())
    {
        m_peerCid = ctx->m_dcid;
    }
    m_recovery->SetActivePath(ctx->m_path->GetId());
    ++m_stats.m_pathSwitches;
    m_self->m_pathTrace(m_self,
                        reason,
                        QuicPath::AddressToString(old->m_path->GetRemoteAddress()),
                        QuicPath::AddressToString(ctx->m_path->GetRemoteAddress()));
    if (m_qlog)
    {
        QuicQlogPath from = QlogPathOf(old);
        QuicQlogPath to = QlogPathOf(ctx);
        m_qlog->ActivePathSwitched(Simulator::Now(), from, to);
    }
    UpdateTracedState();
}

void
QuicConnection::Impl::OnPeerAddressChange(PathCtx* ctx)
{
    // RFC 9000 §9.3 (MIG-10, NAT-01): the peer sent a non-probing packet from a new address:
    // send to it at once, within the 3x limit until validated (AMP-05), and validate it
    // unless it was validated recently (MIG-04, MIG-12).
    PathCtx* old = m_active;
    const Address& a = old->m_path->GetRemoteAddress();
    const Address& b = ctx->m_path->GetRemoteAddress();
    bool portOnly =
        InetSocketAddress::IsMatchingType(a) && InetSocketAddress::IsMatchingType(b) &&
        InetSocketAddress::ConvertFrom(a).GetIpv4() == InetSocketAddress::ConvertFrom(b).GetIpv4();
    if (Inet6SocketAddress::IsMatchingType(a) && Inet6SocketAddress::IsMatchingType(b))
    {
        portOnly = Inet6SocketAddress::ConvertFrom(a).GetIpv6() ==
                   Inet6SocketAddress::ConvertFrom(b).GetIpv6();
    }
    Time now = Simulator::Now();
    bool recentlyValidated =
        ctx->m_everValidated && now - ctx->m_lastValidated <= m_self->m_validationReuseWindow;
    if (!ctx->m_everValidated && !ctx->m_path->Rtt().HasSample() && portOnly &&
        m_self->m_keepStateOnPortChange)
    {
        // RFC 9000 §9.4 (NAT-02): a port-only change may keep the congestion and RTT state.
        ctx->m_path->Rtt() = old->m_path->Rtt();
        QuicCongestionState cs = old->m_path->Congestion();
        cs.m_bytesInFlight = ctx->m_path->Congestion().m_bytesInFlight;
        ctx->m_path->Congestion() = cs;
    }
    ++m_stats.m_peerAddressChanges;
    m_self->m_pathTrace(m_self,
                        portOnly ? "peer_port_changed" : "peer_address_changed",
                        QuicPath::AddressToString(a),
                        QuicPath::AddressToString(b));
    if (m_qlog)
    {
        m_qlog->PeerAddressChanged(now,
                                   QuicQlogWriter::FormatAddress(ctx->m_path->GetLocalAddress()),
                                   QuicQlogWriter::FormatAddress(a),
                                   QuicQlogWriter::FormatAddress(b),
                                   portOnly);
    }
    if (ctx->m_dcid.IsEmpty())
    {
        ctx->m_dcid = m_peerCid;
    }
    SwitchActivePath(ctx, "active_path_switched");
    if (recentlyValidated)
    {
        ctx->m_path->SetValidated(true);
    }
    else if (!ctx->m_validator.IsValidating())
    {
        ctx->m_path->SetValidated(false);
        StartValidation(ctx);
    }
    // RFC 9000 §9.3.3 (SEC-04): the change may be an attacker forwarding packets: validate the
    // previously active path as well, so that the genuine path can win back.
    if (old->m_everValidated || old->m_path->IsValidated())
    {
        if (!old->m_validator.IsValidating())
        {
            StartValidation(old);
        }
    }
}

bool
QuicConnection::Impl::PrunePath()
{
    // MaxPaths is reached and a new path is needed: forget one path that is neither the
    // active one, nor the fallback target (the most recently validated other path, RFC 9000
    // §9.3.2), nor one being moved to: preferably one that failed validation or carried
    // nothing for 3 PTOs, else the one that carried nothing for longest (typically a previous
    // path whose §9.3.3 re-validation is still running although a NAT has dropped its
    // binding). Without this, a connection behind a NAT that rebinds every few seconds would
    // run out of paths after MaxPaths - 1 rebindings, and a flood of spoofed addresses could
    // lock out the genuine client's next rebinding; neither can evict the fallback path.
    // Packets in flight on the forgotten path no longer touch any estimator
    // (QuicLossRecovery::RemovePath).
    PathCtx* fallback = nullptr;
    for (auto& p : m_paths)
    {
        if (p.get() != m_active && p->m_everValidated && !p->m_abandoned &&
            (fallback == nullptr || p->m_lastValidated > fallback->m_lastValidated))
        {
            fallback = p.get();
        }
    }
    Time now = Simulator::Now();
    Time staleAfter = 3 * CurrentPto();
    size_t victim = m_paths.size();
    bool victimStale = false;
    for (size_t i = 0; i < m_paths.size(); ++i)
    {
        PathCtx* p = m_paths[i].get();
        if (p == m_active || p == fallback || p->m_switchOnValidation)
        {
            continue;
        }
        bool stale =
            p->m_abandoned || (!p->m_validator.IsValidating() && now - p->m_lastRx >= staleAfter);
        if (victim == m_paths.size() || (stale && !victimStale) ||
            (stale == victimStale && p->m_lastRx < m_paths[victim]->m_lastRx))
        {
            victim = i;
            victimStale = stale;
        }
    }
    if (victim == m_paths.size())
    {
        return false;
    }
    PathCtx* p = m_paths[victim].get();
    uint32_t id = p->m_path->GetId();
    TracePath("path_removed", p);
    m_recovery->RemovePath(id);
    // Retire the path's connection ID unless another path still sends with it (a server
    // keeps the client's CID across rebindings, NAT-03): retiring the CID a packet is sent
    // with is a protocol violation (RFC 9000 §19.16).
    std::optional<QuicConnectionId> cid = m_cids.GetCidForPath(id);
    bool shared = cid && *cid == m_peerCid;
    for (const auto& other : m_paths)
    {
        shared = shared || (cid && other.get() != p && other->m_dcid == *cid);
    }
    if (!shared)
    {
        m_cids.ReleasePath(id);
    }
    m_paths.erase(m_paths.begin() + static_cast<std::ptrdiff_t>(victim));
    return true;
}

void
QuicConnection::Impl::OnServerPathUse(PathCtx* ctx)
{
    // RFC 9000 §9.6.2 (PA-06): non-probing packets reached our preferred address. Our own
    // non-probing traffic moves there only once we validated the path from there as well.
    ++m_stats.m_peerAddressChanges;
    m_self->m_pathTrace(m_self,
                        "preferred_address_used",
                        QuicPath::AddressToString(m_active->m_path->GetLocalAddress()),
                        QuicPath::AddressToString(ctx->m_path->GetLocalAddress()));
    if (ctx->m_path->IsValidated() && ctx->m_everValidated)
    {
        PathCtx* old = m_active;
        SwitchActivePath(ctx, "preferred_address_switched");
        m_onPreferred = !(ctx->m_path->GetLocalAddress() == m_handshakeLocal);
        m_cids.ReleasePath(old->m_path->GetId());
        return;
    }
    ctx->m_switchOnValidation = true;
    if (!ctx->m_validator.IsValidating())
    {
        StartValidation(ctx);
    }
}

void
QuicConnection::Impl::StartPreferredAddressMigration()
{
    // RFC 9000 §9.6.1 (PA-03, PA-13): after confirmation, validate the preferred address of
    // the family in use, from the current local address, with a connection ID never used;
    // move there only once it is validated (PA-04, PA-05). The other family would need
    // another local address and is ignored (PA-01: an all-zero family is not offered).
    const QuicPreferredAddress& pa = m_peerTp.GetPreferredAddress();
    const Address& server = m_active->m_path->GetRemoteAddress();
    Address target;
    if (InetSocketAddress::IsMatchingType(server) && pa.HasIpv4())
    {
        target = pa.GetIpv4SocketAddress();
    }
    else if (Inet6SocketAddress::IsMatchingType(server) && pa.HasIpv6())
    {
        target = pa.GetIpv6SocketAddress();
    }
    if (target.IsInvalid() || target == server ||
        FindPath(m_active->m_path->GetLocalAddress(), target) != nullptr ||
        (m_paths.size() >= m_self->m_maxPaths && !PrunePath()))
    {
        return;
    }
    PathCtx* ctx = AddPath(m_active->m_path->GetLocalAddress(),
                           target,
                           m_active->m_path->GetSocket(),
                           nullptr);
    std::optional<QuicConnectionId> cid = m_cids.UseUnusedCid(ctx->m_path->GetId());
    if (!cid)
    {
        ctx->m_abandoned = true;
        return;
    }
    ctx->m_dcid = *cid;
    ctx->m_toPreferred = true;
    ctx->m_switchOnValidation = true;
    // A client is not bound by the anti-amplification limit; the path still has to be
    // validated before non-probing frames go there (PA-05).
    ctx->m_path->SetValidated(true);
    m_self->m_pathTrace(m_self,
                        "preferred_address_probing",
                        QuicPath::AddressToString(server),
                        QuicPath::AddressToString(target));
    StartValidation(ctx);
}

void
QuicConnection::Impl::OnPathValidated(PathCtx* ctx)
{
    Time now = Simulator::Now();
    ctx->m_path->SetValidated(true);
    ctx->m_everValidated = true;
    ctx->m_lastValidated = now;
    ctx->m_abandoned = false;
    ++m_stats.m_pathsValidated;
    TracePath("path_validated", ctx);
    if (m_qlog)
    {
        QuicQlogPath qp = QlogPathOf(ctx);
        m_qlog->PathValidated(now, qp, now - ctx->m_validator.GetStartTime());
    }
    if (ctx == m_active)
    {
        m_recovery->SetAmplificationBlocked(false, now);
    }
    if (ctx->m_smallChallenge)
    {
        // RFC 9000 §8.2.1 (PV-06): a challenge under 1200 bytes validated the address but
        // not the path MTU: validate once more, in full-size datagrams (the address stays
        // validated meanwhile).
        ctx->m_smallChallenge = false;
        ctx->m_mtuRevalidation = true;
        StartValidation(ctx);
        ctx->m_path->SetValidated(true);
    }
    else
    {
        ctx->m_mtuRevalidation = false;
    }
    if (ctx->m_switchOnValidation)
    {
        // Probe-then-switch client migration (RFC 9000 §9.2), the client's move to the
        // preferred address (§9.6.1, PA-04), or the server's switch to its preferred address
        // once the client sent non-probing packets there (§9.6.2, PA-06): move to the path.
        ctx->m_switchOnValidation = false;
        PathCtx* old = m_active;
        bool preferred =
            ctx->m_toPreferred ||
            (m_role == SERVER && !(ctx->m_path->GetLocalAddress() == m_handshakeLocal));
        SwitchActivePath(ctx, preferred ? "preferred_address_switched" : "migrated");
        if (preferred)
        {
            m_onPreferred = true;
        }
        if (old != ctx)
        {
            m_cids.ReleasePath(old->m_path->GetId());
        }
    }
}

void
QuicConnection::Impl::OnValidationFailed(PathCtx* ctx)
{
    ctx->m_abandoned = true;
    ctx->m_path->SetValidated(false);
    ctx->m_switchOnValidation = false;
    ++m_stats.m_validationFailures;
    TracePath("validation_failed", ctx);
    if (m_qlog)
    {
        QuicQlogPath qp = QlogPathOf(ctx);
        m_qlog->PathValidationFailed(Simulator::Now(), qp, "timeout");
    }
    if (ctx != m_active)
    {
        return; // PV-15: only this path becomes unusable
    }
    // RFC 9000 §9.3.2 (SEC-01): return to the most recently validated path.
    PathCtx* best = nullptr;
    for (auto& p : m_paths)
    {
        if (p.get() != ctx && p->m_everValidated && !p->m_abandoned &&
            (best == nullptr || p->m_lastValidated > best->m_lastValidated))
        {
            best = p.get();
        }
    }
    if (best == nullptr)
    {
        // SEC-02: no validated address left: close silently, no CONNECTION_CLOSE.
        m_self->m_handshakeTrace(m_self, "no_viable_path");
        Terminate(false);
        return;
    }
    if (!m_peerCid.IsEmpty() && best->m_path->GetLocalAddress() != ctx->m_path->GetLocalAddress())
    {
        // RFC 9000 §9.5 (PRIV-02): back on another local address, with a CID of that path's
        // own (a fresh one if it gave its CID back when we left it); the failed path's CID
        // is given back (CID-10).
        std::optional<QuicConnectionId> own = m_cids.GetCidForPath(best->m_path->GetId());
        own = own ? own : m_cids.UseUnusedCid(best->m_path->GetId());
        if (own)
        {
            best->m_dcid = *own;
            m_cids.ReleasePath(ctx->m_path->GetId());
        }
    }
    SwitchActivePath(best, "fallback");
    best->m_path->SetValidated(true);
}

bool
QuicConnection::Impl::AddPathFrames(PathCtx* ctx,
                                    QuicPacketBuilder& b,
                                    bool& ackEliciting,
                                    uint32_t& ft)
{
    bool added = false;
    while (!ctx->m_responses.empty())
    {
        if (!b.AddFrame(QuicFrame::PathResponse(ctx->m_responses.front().data())))
        {
            break;
        }
        ctx->m_responses.pop_front();
        ft |= QuicFrameTypeBit(QuicFrameType::PATH_RESPONSE);
        ackEliciting = true;
        added = true;
        if (ctx == m_active && b.AddFrame(QuicFrame::Ping()))
        {
            // RFC 9000 §9.3.3 (SEC-05): a challenge on the active path also gets a
            // non-probing packet, so that the genuine path can win a race.
            ft |= QuicFrameTypeBit(QuicFrameType::PING);
        }
    }
    if (ctx->m_validator.IsChallengeDue())
    {
        QuicPathValidator::Data d = ctx->m_validator.TakeChallenge(Simulator::Now());
        if (b.AddFrame(QuicFrame::PathChallenge(d.data())))
        {
            ft |= QuicFrameTypeBit(QuicFrameType::PATH_CHALLENGE);
            ackEliciting = true;
            added = true;
            ++m_stats.m_pathChallengesSent;
        }
    }
    return added;
}

void
QuicConnection::Impl::SendProbes()
{
    // PATH_CHALLENGE / PATH_RESPONSE on paths other than the active one: one datagram each,
    // padded to 1200 bytes unless the path's anti-amplification budget forbids it (PV-05,
    // PV-12), not blocked by congestion control.
    if (!m_spaces[2].m_txReady || m_state != CONNECTED)
    {
        return;
    }
    for (auto& up : m_paths)
    {
        PathCtx* ctx = up.get();
        if (ctx == m_active || ctx->m_abandoned ||
            (ctx->m_responses.empty() && !ctx->m_validator.IsChallengeDue()))
        {
            continue;
        }
        bool borrowed = false;
        std::optional<QuicConnectionId> probeCid;
        if (ctx->m_path->GetLocalAddress() != m_active->m_path->GetLocalAddress() &&
            !m_peerCid.IsEmpty())
        {
            // RFC 9000 §9.5 (PRIV-02): from another local address only with that path's own
            // CID. A path we moved away from gave its CID back: answering a challenge there
            // takes an unused one, given back right after; with none left, challenges there
            // cannot be answered (PRIV-06).
            std::optional<QuicConnectionId> own = m_cids.GetCidForPath(ctx->m_path->GetId());
            if (!own)
            {
                own = m_cids.UseUnusedCid(ctx->m_path->GetId());
                borrowed = own.has_value();
            }
            if (!own)
            {
                ctx->m_responses.clear();
                continue;
            }
            probeCid = own;
        }
        QuicPath* saved = m_path;
        QuicConnectionId savedCid = m_peerCid;
        m_path = ctx->m_path.get();
        m_peerCid = probeCid ? *probeCid : ctx->m_dcid.IsEmpty() ? savedCid : ctx->m_dcid;
        m_txCtx = ctx;
        uint64_t credit = m_path->GetAmplificationCredit();
        size_t maxSize = std::min<uint64_t>(m_self->m_maxUdpPayloadSize, credit);
        if (maxSize >= 64)
        {
            m_datagram.clear();
            PnSpace& sp = m_spaces[2];
            QuicPacketBuilder b;
            QuicPacketHeader h;
            h.m_type = QuicPacketType::ONE_RTT;
            h.m_dcid = m_peerCid;
            uint32_t handle = AllocFrames();
            bool ae = false;
            uint32_t ft = 0;
            if (b.Begin(m_datagram, h, sp.m_nextPn, sp.m_largestAcked, maxSize) &&
                AddPathFrames(ctx, b, ae, ft))
            {
                size_t before = m_datagram.size();
                b.PadDatagramTo(std::min<size_t>(MIN_DATAGRAM_SIZE, maxSize));
                if (m_datagram.size() > before)
                {
                    ft |= QuicFrameTypeBit(QuicFrameType::PADDING);
                }
                FinishPacket(2, b, ae, ft, handle, 0);
                if ((ft & QuicFrameTypeBit(QuicFrameType::PATH_CHALLENGE)) != 0 &&
                    m_datagram.size() < MIN_DATAGRAM_SIZE)
                {
                    ctx->m_smallChallenge = true; // PV-06: a full-size validation must follow
                }
                TransmitDatagram();
            }
            else
            {
                m_datagram.clear();
                FreeFrames(handle);
            }
        }
        m_txCtx = nullptr;
        m_path = saved;
        m_peerCid = savedCid;
        if (borrowed && ctx->m_responses.empty() && !ctx->m_validator.IsValidating())
        {
            m_cids.ReleasePath(ctx->m_path->GetId());
        }
    }
}

// =============================================================================================
// Connection IDs (RFC 9000 §5.1, §9.5) and stateless reset (§10.3)
// =============================================================================================

void
QuicConnection::Impl::ConfigureCids()
{
    QuicConnection* self = m_self;
    Ptr<QuicEndpoint> ep = m_endpoint;
    m_cids.SetCidGenerator([ep]() { return ep->GenerateCid(); });
    m_cids.SetRoutingCallbacks(
        [ep, self](const QuicConnectionId& cid, uint64_t seq) {
            if (cid.IsEmpty())
            {
                return true; // zero-length: routed by 4-tuple instead
            }
            if (!ep->RegisterCid(cid, self))
            {
                return false;
            }
            self->m_cidTrace(self, "issued", seq, cid);
            return true;
        },
        [ep, self](const QuicConnectionId& cid, uint64_t seq) {
            if (cid.IsEmpty())
            {
                return;
            }
            ep->UnregisterCid(cid);
            self->m_cidTrace(self, "retired_local", seq, cid);
        });
    m_cids.SetPeerCidRetiredCallback([self](uint64_t seq, const QuicConnectionId& cid, uint32_t) {
        self->m_cidTrace(self, "retired_peer", seq, cid);
    });
    m_cids.SetResetKey(m_endpoint->GetResetKey());
    m_cids.SetLocalActiveConnectionIdLimit(m_self->m_activeCidLimit);
}

void
QuicConnection::Impl::RefreshPeerCid()
{
    std::optional<QuicConnectionId> cid = m_cids.GetCidForPath(m_path->GetId());
    if (cid && *cid != m_peerCid)
    {
        // Retire Prior To moved the path to a fresh connection ID (RFC 9000 §5.1.2).
        if (m_qlog)
        {
            m_qlog->ConnectionIdUpdated(Simulator::Now(), QuicQlogOwner::REMOTE, m_peerCid, *cid);
        }
        m_peerCid = *cid;
    }
}

bool
QuicConnection::Impl::RotateCid(const char* reason)
{
    if (!m_handshakeConfirmed || m_state != CONNECTED || m_peerCid.IsEmpty())
    {
        return false;
    }
    // RFC 9000 §9.5 (PRIV-01): switch to a connection ID never used on any path, and retire
    // the old one.
    std::optional<uint64_t> oldSeq = m_cids.GetSequenceNumberForPath(m_path->GetId());
    std::optional<QuicConnectionId> cid = m_cids.RotateCid(m_path->GetId());
    if (!cid)
    {
        return false;
    }
    QuicConnectionId old = m_peerCid;
    m_peerCid = *cid;
    std::optional<uint64_t> seq = m_cids.GetSequenceNumberForPath(m_path->GetId());
    m_self->m_cidTrace(m_self, reason, seq.value_or(0), m_peerCid);
    if (m_qlog)
    {
        m_qlog->ConnectionIdUpdated(Simulator::Now(), QuicQlogOwner::REMOTE, old, m_peerCid);
    }
    (void)oldSeq;
    SendPending();
    return true;
}

void
QuicConnection::Impl::OnStatelessReset()
{
    // RFC 9000 §10.3.1 (SR-11): enter the draining state and send nothing further.
    m_self->m_cidTrace(m_self, "stateless_reset_received", 0, m_peerCid);
    m_self->m_handshakeTrace(m_self, "stateless_reset");
    if (m_qlog)
    {
        QuicQlogConnectionClose cc;
        cc.m_owner = QuicQlogOwner::REMOTE;
        cc.m_trigger = QuicQlogCloseTrigger::STATELESS_RESET;
        m_qlog->ConnectionClosed(Simulator::Now(), cc);
    }
    m_closeError = static_cast<uint64_t>(QuicTransportError::NO_ERROR);
    EnterDraining();
}

bool
QuicConnection::RotateDestinationCid()
{
    return m_impl->RotateCid("rotated");
}

bool
QuicConnection::CheckStatelessReset(const uint8_t* data, size_t size)
{
    Impl& c = *m_impl;
    if (c.m_state == CLOSED || c.m_state == DRAINING || !c.m_started)
    {
        return false;
    }
    if (!c.m_cids.IsStatelessReset(data, size))
    {
        return false;
    }
    c.OnStatelessReset();
    return true;
}

bool
QuicConnection::Migrate(const Address& local, MigrationPolicy policy)
{
    Impl& c = *m_impl;
    if (c.m_role != CLIENT || c.m_state != CONNECTED || !c.m_handshakeConfirmed)
    {
        return false; // MIG-01
    }
    if (c.m_peerTp.IsActiveMigrationDisabled() && !c.m_onPreferred)
    {
        // MIG-02: not toward the handshake address; after a move to the preferred address
        // the client may migrate again (PA-13).
        return false;
    }
    Address bound;
    Ptr<Socket> socket = c.m_endpoint->OpenSocket(local, bound);
    if (!socket)
    {
        return false;
    }
    const Address& server = c.m_active->m_path->GetRemoteAddress();
    if (c.FindPath(bound, server) != nullptr || (c.m_paths.size() >= m_maxPaths && !c.PrunePath()))
    {
        return false;
    }
    PathCtx* ctx = c.AddPath(bound, server, socket, nullptr);
    // RFC 9000 §9.5 (PRIV-02, PRIV-03): a connection ID never used on another path.
    std::optional<QuicConnectionId> cid = c.m_cids.UseUnusedCid(ctx->m_path->GetId());
    if (!cid)
    {
        ctx->m_abandoned = true;
        return false;
    }
    ctx->m_dcid = *cid;
    // The server's address is already validated: no anti-amplification limit toward it
    // (RFC 9000 §8); the path itself is validated below (§8.2).
    ctx->m_path->SetValidated(true);
    m_pathTrace(this,
                "migration_started",
                QuicPath::AddressToString(c.m_active->m_path->GetLocalAddress()),
                QuicPath::AddressToString(bound));
    c.StartValidation(ctx);
    if (policy == SWITCH_IMMEDIATELY)
    {
        PathCtx* old = c.m_active;
        c.SwitchActivePath(ctx, "migrated");
        c.m_cids.ReleasePath(old->m_path->GetId());
    }
    else
    {
        ctx->m_switchOnValidation = true;
    }
    c.SendPending();
    return true;
}

bool
QuicConnection::RebindForTesting(const Address& local)
{
    Impl& c = *m_impl;
    Address bound;
    Ptr<Socket> socket = c.m_endpoint->OpenSocket(local, bound);
    if (!socket)
    {
        return false;
    }
    std::string from = QuicPath::AddressToString(c.m_active->m_path->GetLocalAddress());
    c.m_active->m_path->SetLocal(bound, socket);
    m_pathTrace(this, "rebound", from, QuicPath::AddressToString(bound));
    return true;
}

bool
QuicConnection::IsOnPreferredAddress() const
{
    return m_impl->m_onPreferred;
}

uint32_t
QuicConnection::GetFlowLabel() const
{
    const Impl& c = *m_impl;
    const QuicPath& p = *c.m_active->m_path;
    if (!Inet6SocketAddress::IsMatchingType(p.GetRemoteAddress()))
    {
        return 0;
    }
    // RFC 6437 §3 / RFC 9000 §9.7 (PRIV-07): a keyed hash over the addresses and the
    // connection ID, so that labels of different paths or CIDs cannot be linked.
    Inet6SocketAddress local = Inet6SocketAddress::IsMatchingType(p.GetLocalAddress())
                                   ? Inet6SocketAddress::ConvertFrom(p.GetLocalAddress())
                                   : Inet6SocketAddress(Ipv6Address::GetAny(), 0);
    Inet6SocketAddress remote = Inet6SocketAddress::ConvertFrom(p.GetRemoteAddress());
    std::vector<uint8_t> msg(36 + c.m_peerCid.Length());
    local.GetIpv6().Serialize(msg.data());
    remote.GetIpv6().Serialize(msg.data() + 16);
    msg[32] = static_cast<uint8_t>(local.GetPort() >> 8);
    msg[33] = static_cast<uint8_t>(local.GetPort());
    msg[34] = static_cast<uint8_t>(remote.GetPort() >> 8);
    msg[35] = static_cast<uint8_t>(remote.GetPort());
    std::copy(c.m_peerCid.Data(), c.m_peerCid.Data() + c.m_peerCid.Length(), msg.begin() + 36);
    QuicSecret mac{}; // HKDF-Extract(key, msg) = HMAC-SHA256(key, msg)
    QuicHkdfExtract(c.m_flowLabelKey.data(), c.m_flowLabelKey.size(), msg.data(), msg.size(), mac);
    uint32_t label = ((uint32_t{mac[0]} << 16) | (uint32_t{mac[1]} << 8) | mac[2]) & 0xFFFFF;
    return label == 0 ? 1 : label;
}

size_t
QuicConnection::GetPathCount() const
{
    return m_impl->m_paths.size();
}

const QuicPath&
QuicConnection::GetPath(size_t index) const
{
    NS_ASSERT_MSG(index < m_impl->m_paths.size(), "no path " << index);
    return *m_impl->m_paths[index]->m_path;
}

bool
QuicConnection::RaiseRetirePriorTo(uint64_t retirePriorTo)
{
    bool ok = m_impl->m_cids.RaiseRetirePriorTo(retirePriorTo);
    if (ok)
    {
        m_impl->SendPending();
    }
    return ok;
}

void
QuicConnection::QueueFrameForTesting(const QuicFrame& frame)
{
    m_impl->m_testFrames.push_back(frame);
    m_impl->SendPending();
}

size_t
QuicConnection::GetSpareDestinationCidCount() const
{
    return m_impl->m_cids.GetUnusedCount();
}

size_t
QuicConnection::GetActiveLocalCidCount() const
{
    return m_impl->m_cids.GetActiveLocalCount();
}

// =============================================================================================
// Receiving
// =============================================================================================

void
QuicConnection::ReceiveDatagram(uint8_t* data,
                                size_t size,
                                const Address& local,
                                const Address& remote,
                                Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << size);
    Ptr<QuicConnection> keepAlive = this; // callbacks below may drop other references
    m_impl->Receive(data, size, local, remote, socket);
}

void
QuicConnection::Impl::Drop(QuicDropReason reason, uint32_t size)
{
    ++m_stats.m_packetsDropped;
    m_self->m_packetDroppedTrace(m_self, reason, size);
    if (m_qlog)
    {
        QuicQlogDropTrigger t = QuicQlogDropTrigger::GENERAL;
        switch (reason)
        {
        case QuicDropReason::HEADER_INVALID:
            t = QuicQlogDropTrigger::HEADER_PARSE_ERROR;
            break;
        case QuicDropReason::UNKNOWN_CID:
            t = QuicQlogDropTrigger::UNKNOWN_CONNECTION_ID;
            break;
        case QuicDropReason::UNSUPPORTED_VERSION:
            t = QuicQlogDropTrigger::UNSUPPORTED_VERSION;
            break;
        case QuicDropReason::INITIAL_TOO_SMALL:
            t = QuicQlogDropTrigger::INVALID_INITIAL;
            break;
        case QuicDropReason::KEYS_UNAVAILABLE:
            t = QuicQlogDropTrigger::KEY_UNAVAILABLE;
            break;
        case QuicDropReason::DECRYPTION_FAILED:
            t = QuicQlogDropTrigger::PAYLOAD_DECRYPT_ERROR;
            break;
        case QuicDropReason::DUPLICATE:
            t = QuicQlogDropTrigger::DUPLICATE;
            break;
        case QuicDropReason::PROTOCOL_VIOLATION:
            t = QuicQlogDropTrigger::PROTOCOL_VIOLATION;
            break;
        default:
            break;
        }
        m_qlog->PacketDropped(Simulator::Now(), std::nullopt, size, t);
    }
}

void
QuicConnection::Impl::Receive(uint8_t* data,
                              size_t size,
                              const Address& local,
                              const Address& remote,
                              Ptr<Socket> socket)
{
    if (m_state == CLOSED || !m_started)
    {
        return;
    }
    Time now = Simulator::Now();
    ++m_stats.m_datagramsReceived;
    m_stats.m_bytesReceived += size;
    // RFC 9000 §8.1 (AMP-02): every datagram attributable to the connection counts toward
    // the anti-amplification credit, even if its packets are then discarded.
    PathCtx* ctx = FindPath(local, remote);
    bool newPath = false;
    if (ctx == nullptr)
    {
        bool fromKnownServer = false;
        for (const auto& p : m_paths)
        {
            fromKnownServer = fromKnownServer || p->m_path->GetRemoteAddress() == remote;
        }
        if (m_role == CLIENT && fromKnownServer)
        {
            // A local address the client moved away from (or a rebinding of its own socket).
            ctx = m_active;
        }
        else if (m_role == CLIENT || !m_handshakeConfirmed || m_state != CONNECTED ||
                 (m_paths.size() >= m_self->m_maxPaths && !PrunePath()))
        {
            // RFC 9000 §9 (MIG-06): a client drops packets from a server address it has not
            // moved to; no peer migration before the handshake is confirmed (MIG-01); the
            // number of paths is bounded.
            Drop(QuicDropReason::UNEXPECTED_SOURCE, static_cast<uint32_t>(size));
            return;
        }
        else if (m_localMigrationDisabled && m_self->m_disabledMigrationAction == DROP_PACKETS &&
                 local == m_active->m_path->GetLocalAddress())
        {
            // RFC 9000 §9 (MIG-03): the client moved although we sent
            // disable_active_migration; this policy drops its packets silently (never a
            // stateless reset or a close). Packets to our preferred address are not covered.
            Drop(QuicDropReason::UNEXPECTED_SOURCE, static_cast<uint32_t>(size));
            return;
        }
        else
        {
            // A new peer address (NAT rebinding or migration), or the client reaching our
            // preferred address: a candidate path, on the socket the datagram came in on. It
            // becomes the active one only if a non-probing packet arrives on it (§9.3).
            ctx = AddPath(local, remote, socket ? socket : m_active->m_path->GetSocket(), nullptr);
            newPath = true;
            // RFC 9000 §9.5 (NAT-03, PRIV-03, CID-09): the same CID toward the new address
            // only if the peer kept its DCID (a rebinding); a peer that moved with a new DCID
            // gets a CID of its own never used toward another address.
            bool isLong = false;
            uint32_t version = 0;
            QuicPeekDestinationCid(data, size, m_localCid.Length(), isLong, version, ctx->m_rxDcid);
            bool keptDcid = isLong || ctx->m_rxDcid == m_localCid;
            for (const auto& p : m_paths)
            {
                keptDcid = keptDcid || (p.get() != ctx && p->m_rxDcid == ctx->m_rxDcid);
            }
            ctx->m_dcid = m_peerCid;
            if (!keptDcid && !m_peerCid.IsEmpty() && local == m_handshakeLocal)
            {
                std::optional<QuicConnectionId> fresh = m_cids.UseUnusedCid(ctx->m_path->GetId());
                if (fresh)
                {
                    ctx->m_dcid = *fresh;
                }
            }
            if (!(local == m_handshakeLocal))
            {
                // RFC 9000 §9.5 (PRIV-02): another local address needs a client CID not used
                // from our original address.
                std::optional<QuicConnectionId> fresh = m_cids.UseUnusedCid(ctx->m_path->GetId());
                if (fresh)
                {
                    ctx->m_dcid = *fresh;
                }
                // RFC 9000 §9.6.2 (PA-07, PA-12): a packet reached our preferred address: the
                // server probes toward the client from there itself, whatever the client
                // sent, and stays within 3x of what it received on that path until then.
                StartValidation(ctx);
            }
        }
    }
    // RFC 9000 §8.1 (AMP-02): every datagram attributable to the connection counts toward
    // the anti-amplification credit of its path, even if its packets are then discarded.
    ctx->m_path->OnBytesReceived(size);
    ctx->m_lastRx = now;
    m_rxPath = ctx;
    m_rxSocket = socket;

    if (m_state == DRAINING)
    {
        Drop(QuicDropReason::CLOSING, static_cast<uint32_t>(size));
        return;
    }
    if (m_state == CLOSING)
    {
        // RFC 9000 §10.2.1: answer with the CONNECTION_CLOSE again, at a reduced rate.
        Drop(QuicDropReason::CLOSING, static_cast<uint32_t>(size));
        if (++m_closePacketsSinceResend >= 2 && !m_closeDatagram.empty())
        {
            m_closePacketsSinceResend = 0;
            m_endpoint->SendDatagram(m_path->GetSocket(),
                                     m_closeDatagram.data(),
                                     m_closeDatagram.size(),
                                     m_path->GetRemoteAddress());
        }
        return;
    }

    bool anyProcessed = false;
    size_t offset = 0;
    ++m_inReceive;
    ++m_datagramId;
    while (offset < size && m_state != CLOSED && m_state != DRAINING)
    {
        QuicPacketHeader header;
        QuicHeaderStatus hs =
            QuicParseHeader(data + offset, size - offset, m_endpoint->GetCidLength(), header);
        if (hs != QuicHeaderStatus::OK)
        {
            if (offset == 0 && m_cids.IsStatelessReset(data, size))
            {
                OnStatelessReset();
                break;
            }
            Drop(hs == QuicHeaderStatus::UNSUPPORTED_VERSION ? QuicDropReason::UNSUPPORTED_VERSION
                                                             : QuicDropReason::HEADER_INVALID,
                 static_cast<uint32_t>(size - offset));
            break;
        }
        size_t packetLength = header.m_packetLength;
        if (packetLength == 0 || packetLength > size - offset)
        {
            Drop(QuicDropReason::HEADER_INVALID, static_cast<uint32_t>(size - offset));
            break;
        }
        uint64_t droppedBefore = m_stats.m_packetsDropped;
        if (ProcessPacket(data + offset, header, size))
        {
            anyProcessed = true;
        }
        else if (offset == 0 && !anyProcessed && m_stats.m_packetsDropped > droppedBefore &&
                 m_state != CLOSING && m_cids.IsStatelessReset(data, size))
        {
            // RFC 9000 §10.3.1 (SR-09): a datagram whose first packet cannot be processed is
            // checked against the stateless reset tokens of the peer's connection IDs.
            OnStatelessReset();
            break;
        }
        offset += packetLength;
    }
    --m_inReceive;
    if (newPath && !anyProcessed && ctx != m_active && m_addressChangeTo == nullptr)
    {
        // Nothing in the datagram authenticated: forget the path again, so that datagrams
        // with a known connection ID and spoofed source addresses cannot fill the MaxPaths
        // slots (they cost no more than their drop).
        for (size_t i = 0; i < m_paths.size(); ++i)
        {
            if (m_paths[i].get() == ctx)
            {
                m_recovery->RemovePath(ctx->m_path->GetId());
                if (!(ctx->m_dcid == m_peerCid))
                {
                    m_cids.ReleasePath(ctx->m_path->GetId()); // its own CID, if it took one
                }
                m_self->m_pathTrace(m_self,
                                    "path_discarded",
                                    QuicPath::AddressToString(local),
                                    QuicPath::AddressToString(remote));
                m_paths.erase(m_paths.begin() + static_cast<std::ptrdiff_t>(i));
                break;
            }
        }
        m_rxPath = nullptr;
        ctx = nullptr;
    }
    if (m_addressChangeTo != nullptr && m_state == CONNECTED)
    {
        PathCtx* to = m_addressChangeTo;
        m_addressChangeTo = nullptr;
        if (!(to->m_path->GetLocalAddress() == m_active->m_path->GetLocalAddress()))
        {
            OnServerPathUse(to); // the client sends to our other (preferred) address
        }
        else
        {
            OnPeerAddressChange(to);
        }
    }
    m_addressChangeTo = nullptr;
    if (anyProcessed)
    {
        ResetIdleTimer(now);
    }
    if (m_state == CLOSED)
    {
        return;
    }
    FireDeferredCallbacks();
    m_sendRequested = false;
    SendPending();
}

bool
QuicConnection::Impl::ProcessPacket(uint8_t* packet, QuicPacketHeader& header, size_t datagramSize)
{
    QuicConnection& q = *m_self;
    std::optional<QuicPacketNumberSpace> space = QuicPacketNumberSpaceOf(header.m_type);
    if (!space || header.m_type == QuicPacketType::ZERO_RTT)
    {
        Drop(QuicDropReason::KEYS_UNAVAILABLE, static_cast<uint32_t>(header.m_packetLength));
        return false;
    }
    size_t si = static_cast<size_t>(*space);
    PnSpace& sp = m_spaces[si];
    if (!sp.m_rxReady)
    {
        Drop(QuicDropReason::KEYS_UNAVAILABLE, static_cast<uint32_t>(header.m_packetLength));
        return false;
    }
    if (si == 2 && m_role == SERVER && !m_handshakeComplete)
    {
        // RFC 9001 §5.7: a server must not process 1-RTT packets before the handshake is
        // complete (the client repairs them like any lost packet).
        Drop(QuicDropReason::KEYS_UNAVAILABLE, static_cast<uint32_t>(header.m_packetLength));
        return false;
    }
    if (header.m_type == QuicPacketType::INITIAL && m_role == SERVER &&
        datagramSize < MIN_DATAGRAM_SIZE)
    {
        // RFC 9000 §14.1 (AMP-04): Initial packets in datagrams under 1200 bytes are dropped.
        Drop(QuicDropReason::INITIAL_TOO_SMALL, static_cast<uint32_t>(header.m_packetLength));
        return false;
    }
    if (header.IsLongHeader() && m_peerCidSet && m_role == CLIENT && header.m_scid != m_peerCid)
    {
        // RFC 9000 §7.2 (CID-17): after the first server packet, others with another SCID are
        // discarded.
        Drop(QuicDropReason::OTHER, static_cast<uint32_t>(header.m_packetLength));
        return false;
    }

    uint64_t pn = 0;
    const uint8_t* payload = nullptr;
    size_t payloadLength = 0;
    QuicUnprotectStatus us = QuicUnprotectPacket(packet,
                                                 header,
                                                 sp.m_rx,
                                                 sp.m_largestReceived,
                                                 pn,
                                                 payload,
                                                 payloadLength);
    if (us != QuicUnprotectStatus::OK && us != QuicUnprotectStatus::RESERVED_BITS_SET)
    {
        Drop(us == QuicUnprotectStatus::AUTH_FAILED ? QuicDropReason::DECRYPTION_FAILED
                                                    : QuicDropReason::HEADER_INVALID,
             static_cast<uint32_t>(header.m_packetLength));
        return false;
    }
    if (IsDuplicate(sp, pn))
    {
        Drop(QuicDropReason::DUPLICATE, static_cast<uint32_t>(header.m_packetLength));
        return false;
    }
    if (us == QuicUnprotectStatus::RESERVED_BITS_SET)
    {
        // RFC 9000 §17.2 (FMT-05): non-zero reserved bits after unprotection.
        StartClosing(static_cast<uint64_t>(QuicTransportError::PROTOCOL_VIOLATION),
                     false,
                     "reserved bits set",
                     0);
        return false;
    }

    if (si == 2 && m_role == SERVER && m_onPreferred &&
        !(m_rxPath->m_path->GetLocalAddress() == m_active->m_path->GetLocalAddress()) &&
        sp.m_largestReceived && pn > *sp.m_largestReceived)
    {
        // RFC 9000 §9.6.2 (PA-08): after moving to the preferred address, newer packets that
        // still arrive at the old address are dropped; delayed (older) ones are processed.
        Drop(QuicDropReason::UNEXPECTED_SOURCE, static_cast<uint32_t>(header.m_packetLength));
        return false;
    }
    ++m_stats.m_packetsReceived;
    if (m_role == CLIENT && !m_peerCidSet && header.IsLongHeader())
    {
        // RFC 9000 §7.2: the client switches to the server's chosen connection ID.
        m_peerCid = header.m_scid;
        m_peerInitialScid = header.m_scid;
        m_peerCidSet = true;
        m_cids.SetInitialPeerCid(header.m_scid, 0);
    }
    if (m_role == SERVER && header.m_type == QuicPacketType::HANDSHAKE)
    {
        // RFC 9000 §8.1 (AMP-03): a Handshake packet validates the client's address, and
        // RFC 9001 §4.9.1: the server discards Initial keys on its first Handshake packet.
        if (!m_path->IsValidated())
        {
            m_path->SetValidated(true);
            m_recovery->SetAmplificationBlocked(false, Simulator::Now());
        }
        DiscardSpace(0);
    }
    if (m_role == CLIENT && si == 1)
    {
        m_addressValidatedByPeer = true;
    }

    if (m_qlog)
    {
        QlogPacket(false,
                   header.m_type,
                   pn,
                   header.m_dcid,
                   header.m_scid,
                   header.m_packetLength,
                   payload,
                   payloadLength);
    }
    QuicFramePacketSummary summary =
        QuicScanPacketFrames(payload, payloadLength, header.m_type, m_frame);
    if (!q.m_packetReceivedTrace.IsEmpty())
    {
        QuicPacketTraceInfo info = MakeInfo(header.m_type,
                                            pn,
                                            static_cast<uint32_t>(header.m_packetLength),
                                            summary.m_frameTypes,
                                            summary.m_ackEliciting,
                                            header.m_dcid,
                                            header.m_scid);
        info.m_datagramSize = static_cast<uint32_t>(datagramSize);
        if (m_rxPath != nullptr)
        {
            // the path the packet arrived on, which need not be the active one
            info.m_pathId = m_rxPath->m_path->GetId();
            info.m_local = m_rxPath->m_path->GetLocalAddress();
            info.m_remote = m_rxPath->m_path->GetRemoteAddress();
        }
        q.m_packetReceivedTrace(&q, info);
    }
    if (!summary.Ok())
    {
        Drop(QuicDropReason::PROTOCOL_VIOLATION, static_cast<uint32_t>(header.m_packetLength));
        StartClosing(static_cast<uint64_t>(summary.m_error),
                     false,
                     "invalid frame",
                     summary.m_errorFrameType);
        return false;
    }
    RecordReceived(si, pn, summary.m_ackEliciting);
    if (si == 2 && !summary.m_probingOnly)
    {
        // RFC 9000 §9.3 (MIG-11): only the highest-numbered non-probing packet can move the
        // peer address, so reordered packets from an old address cannot pull traffic back.
        if (!m_largestNonProbing || pn > *m_largestNonProbing)
        {
            m_largestNonProbing = pn;
            // Only servers follow the peer: a client chooses its own paths and discards
            // packets from server addresses it did not move to (RFC 9000 §9).
            m_addressChangeTo = (m_role == SERVER && m_rxPath != m_active) ? m_rxPath : nullptr;
        }
    }
    if (!ProcessFrames(si, payload, payloadLength, header.m_type, header.m_dcid))
    {
        return false;
    }
    return true;
}

bool
QuicConnection::Impl::IsDuplicate(const PnSpace& sp, uint64_t pn) const
{
    if (sp.m_received.empty())
    {
        return false;
    }
    // Older than anything still tracked: treat as a duplicate (RFC 9000 §12.3 lets a
    // receiver drop packets it can no longer tell apart).
    if (pn < sp.m_received.back().m_smallest)
    {
        return true;
    }
    for (const QuicAckRange& r : sp.m_received)
    {
        if (pn > r.m_largest)
        {
            return false;
        }
        if (pn >= r.m_smallest)
        {
            return true;
        }
    }
    return false;
}

void
QuicConnection::Impl::RecordReceived(size_t space, uint64_t pn, bool ackEliciting)
{
    QuicConnection& q = *m_self;
    PnSpace& sp = m_spaces[space];
    Time now = Simulator::Now();
    bool inOrder = !sp.m_largestReceived || pn == *sp.m_largestReceived + 1;
    std::vector<QuicAckRange>& rs = sp.m_received;
    if (!rs.empty() && pn == rs.front().m_largest + 1)
    {
        rs.front().m_largest = pn;
    }
    else
    {
        // Insert keeping descending order, merging neighbours.
        auto it = rs.begin();
        while (it != rs.end() && it->m_largest > pn)
        {
            ++it;
        }
        rs.insert(it, QuicAckRange{pn, pn});
        for (size_t i = 0; i + 1 < rs.size();)
        {
            if (rs[i].m_smallest <= rs[i + 1].m_largest + 1)
            {
                rs[i].m_smallest = std::min(rs[i].m_smallest, rs[i + 1].m_smallest);
                rs.erase(rs.begin() + static_cast<std::ptrdiff_t>(i + 1));
            }
            else
            {
                ++i;
            }
        }
        if (rs.size() > 2 * static_cast<size_t>(q.m_maxAckRanges))
        {
            rs.resize(2 * static_cast<size_t>(q.m_maxAckRanges));
        }
    }
    if (!sp.m_largestReceived || pn > *sp.m_largestReceived)
    {
        sp.m_largestReceived = pn;
        sp.m_largestReceivedTime = now;
    }
    if (!ackEliciting)
    {
        return;
    }
    // RFC 9000 §13.2.1: Initial and Handshake ACKs without delay; 1-RTT after the
    // threshold of ack-eliciting packets, on reordering, or after max_ack_delay.
    if (!sp.m_ackNeeded)
    {
        sp.m_ackDeadline = now + q.m_maxAckDelay;
    }
    sp.m_ackNeeded = true;
    ++sp.m_ackElicitingSinceAck;
    if (space != 2 || !inOrder || sp.m_ackElicitingSinceAck >= q.m_ackElicitingThreshold)
    {
        sp.m_ackImmediate = true;
    }
}

bool
QuicConnection::Impl::ProcessFrames(size_t space,
                                    const uint8_t* payload,
                                    size_t length,
                                    QuicPacketType type,
                                    const QuicConnectionId& packetDcid)
{
    QuicFrameParser parser(payload, length, type);
    QuicFrame& f = m_frame;
    while (parser.Next(f))
    {
        if (m_state == CLOSED || m_state == DRAINING || m_state == CLOSING)
        {
            return false;
        }
        QuicTransportError err = QuicTransportError::NO_ERROR;
        switch (f.m_type)
        {
        case QuicFrameType::PADDING:
        case QuicFrameType::PING:
            break;
        case QuicFrameType::ACK:
        case QuicFrameType::ACK_ECN:
            if (!OnAckFrame(space, f))
            {
                return false;
            }
            break;
        case QuicFrameType::CRYPTO:
            if (!OnCryptoFrame(space, f))
            {
                return false;
            }
            break;
        case QuicFrameType::HANDSHAKE_DONE:
            if (m_role == SERVER)
            {
                // RFC 9000 §19.20 (FR-14): a server receiving HANDSHAKE_DONE.
                StartClosing(static_cast<uint64_t>(QuicTransportError::PROTOCOL_VIOLATION),
                             false,
                             "HANDSHAKE_DONE from client",
                             0x1e);
                return false;
            }
            ConfirmHandshake();
            break;
        case QuicFrameType::NEW_TOKEN:
            if (m_role == SERVER)
            {
                StartClosing(static_cast<uint64_t>(QuicTransportError::PROTOCOL_VIOLATION),
                             false,
                             "NEW_TOKEN from client",
                             0x07);
                return false;
            }
            break;
        case QuicFrameType::CONNECTION_CLOSE:
        case QuicFrameType::CONNECTION_CLOSE_APP:
            m_closeError = f.m_errorCode;
            m_closeIsApp = f.m_type == QuicFrameType::CONNECTION_CLOSE_APP;
            EnterDraining();
            return false;
        case QuicFrameType::RESET_STREAM:
            err = m_streams->OnResetStream(f.m_streamId, f.m_errorCode, f.m_finalSize);
            break;
        case QuicFrameType::STOP_SENDING:
            err = m_streams->OnStopSending(f.m_streamId, f.m_errorCode);
            break;
        case QuicFrameType::MAX_DATA:
            m_streams->OnMaxData(f.m_maximum);
            break;
        case QuicFrameType::MAX_STREAM_DATA:
            err = m_streams->OnMaxStreamData(f.m_streamId, f.m_maximum);
            break;
        case QuicFrameType::MAX_STREAMS_BIDI:
            err = m_streams->OnMaxStreams(QuicStreamDirection::BIDIRECTIONAL, f.m_maximum);
            break;
        case QuicFrameType::MAX_STREAMS_UNI:
            err = m_streams->OnMaxStreams(QuicStreamDirection::UNIDIRECTIONAL, f.m_maximum);
            break;
        case QuicFrameType::DATA_BLOCKED:
            m_streams->OnDataBlocked(f.m_maximum);
            break;
        case QuicFrameType::STREAM_DATA_BLOCKED:
            err = m_streams->OnStreamDataBlocked(f.m_streamId, f.m_maximum);
            break;
        case QuicFrameType::STREAMS_BLOCKED_BIDI:
            err = m_streams->OnStreamsBlocked(QuicStreamDirection::BIDIRECTIONAL, f.m_maximum);
            break;
        case QuicFrameType::STREAMS_BLOCKED_UNI:
            err = m_streams->OnStreamsBlocked(QuicStreamDirection::UNIDIRECTIONAL, f.m_maximum);
            break;
        case QuicFrameType::NEW_CONNECTION_ID:
            err = m_cids.OnNewConnectionId(f);
            if (err == QuicTransportError::NO_ERROR)
            {
                QuicResetToken token;
                std::copy(std::begin(f.m_statelessResetToken),
                          std::end(f.m_statelessResetToken),
                          token.begin());
                m_endpoint->RegisterResetToken(token, m_self);
                RefreshPeerCid();
            }
            break;
        case QuicFrameType::RETIRE_CONNECTION_ID:
            err = m_cids.OnRetireConnectionId(f.m_sequenceNumber, packetDcid);
            break;
        case QuicFrameType::PATH_CHALLENGE: {
            // RFC 9000 §8.2.2: answer on the path it arrived on (PV-10), with the same data
            // (PV-08), once (PV-13), without delay (PV-09).
            QuicPathValidator::Data d;
            std::copy(f.m_pathData, f.m_pathData + d.size(), d.begin());
            if (m_rxPath->m_responses.size() < m_self->m_maxPendingPathResponses)
            {
                m_rxPath->m_responses.push_back(d);
            }
            break;
        }
        case QuicFrameType::PATH_RESPONSE: {
            // RFC 9000 §8.2.3 (PV-11): a matching response validates the path its challenge
            // was sent on, whichever path it arrived on; unmatched ones are ignored (FR-11).
            QuicPathValidator::Data d;
            std::copy(f.m_pathData, f.m_pathData + d.size(), d.begin());
            for (auto& p : m_paths)
            {
                if (p->m_validator.OnResponse(d, Simulator::Now()))
                {
                    OnPathValidated(p.get());
                    break;
                }
            }
            break;
        }
        default:
            if (QuicFrameTypeIsStream(f.m_type))
            {
                if (!OnStreamFrame(f))
                {
                    return false;
                }
            }
            break;
        }
        if (err != QuicTransportError::NO_ERROR)
        {
            StartClosing(static_cast<uint64_t>(err),
                         false,
                         "stream frame",
                         static_cast<uint64_t>(f.m_type));
            return false;
        }
    }
    if (!parser.Summary().Ok())
    {
        StartClosing(static_cast<uint64_t>(parser.Summary().m_error),
                     false,
                     "invalid frame",
                     parser.Summary().m_errorFrameType);
        return false;
    }
    return true;
}

QuicTransportError
QuicConnection::Impl::TlsReceiveCrypto(size_t space, const uint8_t* data, size_t size)
{
    return m_tls ? m_tls->ReceiveCrypto(LevelOf(space), data, size)
                 : m_tlsPost.ReceiveCrypto(LevelOf(space), data, size);
}

bool
QuicConnection::Impl::OnCryptoFrame(size_t space, const QuicFrame& f)
{
    PnSpace& sp = m_spaces[space];
    uint64_t end = f.m_offset + f.m_dataLength;
    if (end <= sp.m_cryptoDelivered)
    {
        return true; // retransmission of data already delivered
    }
    if (end > sp.m_cryptoDelivered + m_self->m_maxCryptoBuffer)
    {
        StartClosing(static_cast<uint64_t>(QuicTransportError::CRYPTO_BUFFER_EXCEEDED),
                     false,
                     "CRYPTO data too far ahead",
                     0x06);
        return false;
    }
    if (f.m_offset <= sp.m_cryptoDelivered)
    {
        uint64_t skip = sp.m_cryptoDelivered - f.m_offset;
        QuicTransportError e =
            TlsReceiveCrypto(space, f.m_data + skip, static_cast<size_t>(f.m_dataLength - skip));
        sp.m_cryptoDelivered = end;
        // Deliver buffered data that became contiguous.
        while (e == QuicTransportError::NO_ERROR && !sp.m_cryptoIn.empty())
        {
            auto it = sp.m_cryptoIn.begin();
            if (it->first > sp.m_cryptoDelivered)
            {
                break;
            }
            uint64_t itEnd = it->first + it->second.size();
            if (itEnd > sp.m_cryptoDelivered)
            {
                uint64_t s = sp.m_cryptoDelivered - it->first;
                e = TlsReceiveCrypto(space,
                                     it->second.data() + s,
                                     static_cast<size_t>(itEnd - sp.m_cryptoDelivered));
                sp.m_cryptoDelivered = itEnd;
            }
            sp.m_cryptoIn.erase(it);
        }
        if (e != QuicTransportError::NO_ERROR)
        {
            StartClosing(static_cast<uint64_t>(e), false, "TLS", 0x06);
            return false;
        }
        CollectTlsOutput();
        return m_state != CLOSING && m_state != CLOSED;
    }
    auto& slot = sp.m_cryptoIn[f.m_offset];
    if (slot.size() < f.m_dataLength)
    {
        slot.assign(f.m_data, f.m_data + f.m_dataLength);
    }
    return true;
}

bool
QuicConnection::Impl::OnStreamFrame(const QuicFrame& f)
{
    // In-order bytes go from the decrypted packet straight to the application (no copy into
    // the stream's buffer and out again); only out-of-order data is buffered.
    const uint8_t* direct = nullptr;
    uint64_t directLength = 0;
    QuicTransportError e = m_streams->OnStreamFrame(f.m_streamId,
                                                    f.m_offset,
                                                    f.m_data,
                                                    f.m_dataLength,
                                                    f.HasFin(),
                                                    direct,
                                                    directLength);
    if (e != QuicTransportError::NO_ERROR)
    {
        StartClosing(static_cast<uint64_t>(e), false, "STREAM", static_cast<uint64_t>(f.m_type));
        return false;
    }
    DeliverStreamData(f.m_streamId, direct, static_cast<size_t>(directLength));
    return true;
}

void
QuicConnection::Impl::DeliverStreamData(uint64_t streamId,
                                        const uint8_t* direct,
                                        size_t directLength)
{
    QuicConnection& q = *m_self;
    QuicStream* s = m_streams->GetStream(streamId);
    if (s == nullptr || s->GetReceiveStream() == nullptr)
    {
        return;
    }
    QuicReceiveStream* rs = s->GetReceiveStream();
    // Hands bytes the stream has counted as read to the application.
    auto hand = [&](const uint8_t* bytes, size_t n) {
        m_stats.m_streamBytesDelivered += n;
        q.m_streamDataTrace(&q, streamId, static_cast<uint32_t>(n));
        bool fin = rs->IsFinished() && rs->GetReadableBytes() == 0;
        if (fin)
        {
            rs->MarkFinReported();
        }
        if (!m_dataCallback.IsNull())
        {
            m_dataCallback(&q, streamId, bytes, n, fin);
        }
    };
    if (directLength > 0)
    {
        // Already read by the stream (nothing buffered before or after it).
        hand(direct, directLength);
        // The callback may have closed or reset the stream.
        s = m_streams->GetStream(streamId);
        if (s == nullptr || s->GetReceiveStream() == nullptr)
        {
            return;
        }
        rs = s->GetReceiveStream();
    }
    ScratchLease lease(m_readBuffer, ReadBufferPool(), 0, true);
    while (rs->GetReadableBytes() > 0)
    {
        // Data is handed over in pieces of at most 64 KiB. The buffer grows to the largest
        // piece seen (reads are the same as with a 64 KiB buffer): connections that never
        // receive stream data, or only small requests, do not carry 64 KiB each.
        const size_t piece =
            static_cast<size_t>(std::min<uint64_t>(rs->GetReadableBytes(), MAX_READ_PIECE));
        if (m_readBuffer.size() < piece)
        {
            m_readBuffer.resize(piece);
        }
        size_t n = rs->Read(m_readBuffer.data(), piece);
        if (n == 0)
        {
            break;
        }
        hand(m_readBuffer.data(), n);
    }
    // A FIN in a STREAM frame without new data (or after everything was read) is reported
    // once, with no bytes.
    if (rs->IsFinished() && rs->GetReadableBytes() == 0 && rs->MarkFinReported() &&
        !m_dataCallback.IsNull())
    {
        m_dataCallback(&q, streamId, m_readBuffer.data(), 0, true);
    }
}

// =============================================================================================
// Acknowledgments and losses
// =============================================================================================

bool
QuicConnection::Impl::OnAckFrame(size_t space, const QuicFrame& f)
{
    Time now = Simulator::Now();
    // ACK Delay is scaled by the peer's ack_delay_exponent (RFC 9000 §19.3); Initial and
    // Handshake use the default 3 (§18.2).
    uint64_t exponent = space == 2 ? m_peerAckDelayExponent : 3;
    uint64_t delayUs = exponent >= 63 ? 0 : (f.m_ackDelay << exponent);
    if (exponent < 63 && (delayUs >> exponent) != f.m_ackDelay)
    {
        delayUs = std::numeric_limits<uint64_t>::max() / 2;
    }
    Time ackDelay = MicroSeconds(static_cast<int64_t>(std::min<uint64_t>(delayUs, 1ULL << 40)));
    const QuicRecoveryResult& r =
        m_recovery->OnAckReceived(SpaceOf(space), f.m_ackRanges, ackDelay, now);
    if (r.m_status == QuicAckStatus::INVALID_RANGES)
    {
        StartClosing(static_cast<uint64_t>(QuicTransportError::FRAME_ENCODING_ERROR),
                     false,
                     "ACK ranges",
                     static_cast<uint64_t>(f.m_type));
        return false;
    }
    if (r.m_status == QuicAckStatus::UNSENT_PACKET)
    {
        // RFC 9000 §13.1: acknowledging a packet never sent.
        StartClosing(static_cast<uint64_t>(QuicTransportError::PROTOCOL_VIOLATION),
                     false,
                     "ACK of an unsent packet",
                     static_cast<uint64_t>(f.m_type));
        return false;
    }
    if (!r.m_acked.empty())
    {
        uint64_t largest = r.m_acked.front().m_packetNumber;
        PnSpace& sp = m_spaces[space];
        if (!sp.m_largestAcked || largest > *sp.m_largestAcked)
        {
            sp.m_largestAcked = largest;
        }
        if (m_role == CLIENT && space == 2 && !m_handshakeConfirmed && m_handshakeComplete)
        {
            // RFC 9001 §4.1.2 (HS-03): a client may also confirm when a 1-RTT packet it sent
            // is acknowledged.
            ConfirmHandshake();
        }
    }
    // Copy out (into reused buffers) before callbacks can re-enter the recovery.
    m_ackedScratch.assign(r.m_acked.begin(), r.m_acked.end());
    m_lostScratch.assign(r.m_lost.begin(), r.m_lost.end());
    OnPacketsAcked(space, m_ackedScratch);
    if (!m_lostScratch.empty())
    {
        OnPacketsLost(space, m_lostScratch);
    }
    UpdateTracedState();
    return true;
}

void
QuicConnection::Impl::OnPacketsAcked(size_t space, const std::vector<QuicSentPacket>& acked)
{
    m_readyStreams.clear();
    for (const QuicSentPacket& p : acked)
    {
        if (p.m_frames == QuicSentPacket::NO_FRAMES || p.m_frames >= m_pool.size())
        {
            continue;
        }
        SentFrames& sf = m_pool[p.m_frames];
        for (const QuicStreamChunk& c : sf.m_streams)
        {
            m_streams->OnStreamChunkAcked(c);
            if (!m_sendReadyCallback.IsNull() &&
                (m_readyStreams.empty() || m_readyStreams.back() != c.streamId))
            {
                m_readyStreams.push_back(c.streamId);
            }
        }
        for (const QuicStreamControlFrame& c : sf.m_controls)
        {
            m_streams->OnControlFrameAcked(c);
        }
        for (const QuicCidFrameRecord& c : sf.m_cids)
        {
            m_cids.OnFrameAcked(c);
        }
        if (sf.m_hasAck)
        {
            // The peer has our ACK up to m_ackLargest: older ranges need not be repeated
            // (RFC 9000 §13.2.4).
            PnSpace& sp = m_spaces[space];
            while (sp.m_received.size() > 1 && sp.m_received.back().m_largest < sf.m_ackLargest)
            {
                sp.m_received.pop_back();
            }
        }
        FreeFrames(p.m_frames);
    }
    m_streams->RemoveClosedStreams();
    if (!m_sendReadyCallback.IsNull() && !m_readyStreams.empty())
    {
        // Each stream whose data was acknowledged once, in first-acknowledged order.
        std::sort(m_readyStreams.begin(), m_readyStreams.end());
        m_readyStreams.erase(std::unique(m_readyStreams.begin(), m_readyStreams.end()),
                             m_readyStreams.end());
        for (uint64_t id : m_readyStreams)
        {
            m_sendReadyCallback(m_self, id);
        }
    }
}

void
QuicConnection::Impl::OnPacketsLost(size_t space, const std::vector<QuicSentPacket>& lost)
{
    QuicConnection& q = *m_self;
    PnSpace& sp = m_spaces[space];
    for (const QuicSentPacket& p : lost)
    {
        ++m_stats.m_packetsLost;
        if (m_qlog)
        {
            m_qlog->PacketLost(Simulator::Now(),
                               PacketTypeOf(space),
                               p.m_packetNumber,
                               QuicQlogLossTrigger::REORDERING_THRESHOLD);
        }
        if (!q.m_packetLostTrace.IsEmpty())
        {
            q.m_packetLostTrace(&q,
                                MakeInfo(PacketTypeOf(space),
                                         p.m_packetNumber,
                                         p.m_sentBytes,
                                         0,
                                         p.m_ackEliciting,
                                         m_peerCid,
                                         m_localCid));
        }
        if (p.m_frames == QuicSentPacket::NO_FRAMES || p.m_frames >= m_pool.size())
        {
            continue;
        }
        SentFrames& sf = m_pool[p.m_frames];
        for (const QuicStreamChunk& c : sf.m_streams)
        {
            m_streams->OnStreamChunkLost(c);
        }
        for (const QuicStreamControlFrame& c : sf.m_controls)
        {
            m_streams->OnControlFrameLost(c);
        }
        for (const QuicCidFrameRecord& c : sf.m_cids)
        {
            m_cids.OnFrameLost(c);
        }
        for (const auto& c : sf.m_crypto)
        {
            if (!sp.m_discarded)
            {
                sp.m_cryptoRetransmit.push_back(c);
            }
        }
        if (sf.m_handshakeDone && !m_spaces[2].m_discarded)
        {
            m_handshakeDonePending = true;
        }
        FreeFrames(p.m_frames);
    }
}

uint32_t
QuicConnection::Impl::AllocFrames()
{
    if (!m_free.empty())
    {
        uint32_t h = m_free.back();
        m_free.pop_back();
        m_pool[h].Clear();
        return h;
    }
    m_pool.emplace_back();
    return static_cast<uint32_t>(m_pool.size() - 1);
}

void
QuicConnection::Impl::FreeFrames(uint32_t handle)
{
    if (handle < m_pool.size())
    {
        m_pool[handle].Clear();
        m_free.push_back(handle);
    }
}

// =============================================================================================
// Sending
// =============================================================================================

bool
QuicConnection::Impl::HasSomethingToSend(size_t space, bool congestionOk, Time now) const
{
    const PnSpace& sp = m_spaces[space];
    if (!sp.m_txReady || sp.m_discarded)
    {
        return false;
    }
    if (sp.m_ackNeeded && (sp.m_ackImmediate || now >= sp.m_ackDeadline))
    {
        return true;
    }
    if (sp.m_probes > 0)
    {
        return true;
    }
    if (!congestionOk)
    {
        return false;
    }
    if (sp.m_cryptoSent < sp.m_cryptoOut.size() || !sp.m_cryptoRetransmit.empty())
    {
        return true;
    }
    if (space == 2)
    {
        if (m_role == SERVER && m_handshakeDonePending)
        {
            return true;
        }
        if (m_handshakeConfirmed &&
            (!m_active->m_responses.empty() || m_active->m_validator.IsChallengeDue()))
        {
            return true;
        }
        if (m_handshakeComplete && (m_streams->HasControlFrame() || m_streams->HasStreamData() ||
                                    m_cids.HasFramesToSend() || !m_testFrames.empty()))
        {
            return true;
        }
    }
    return false;
}

bool
QuicConnection::Impl::AddAckFrame(size_t space, QuicPacketBuilder& b, SentFrames& sf)
{
    QuicConnection& q = *m_self;
    PnSpace& sp = m_spaces[space];
    if (sp.m_received.empty())
    {
        return false;
    }
    QuicFrame& f = m_frame;
    f.m_type = QuicFrameType::ACK;
    size_t n = std::min<size_t>(sp.m_received.size(), q.m_maxAckRanges);
    f.m_ackRanges.assign(sp.m_received.begin(),
                         sp.m_received.begin() + static_cast<std::ptrdiff_t>(n));
    uint64_t exponent = space == 2 ? q.m_ackDelayExponent : 3;
    Time delay = Simulator::Now() - sp.m_largestReceivedTime;
    f.m_ackDelay = static_cast<uint64_t>(std::max<int64_t>(0, delay.GetMicroSeconds())) >> exponent;
    // Drop the oldest ranges until the frame fits.
    while (QuicFrameEncodedSize(f) > b.Remaining() && f.m_ackRanges.size() > 1)
    {
        f.m_ackRanges.pop_back();
    }
    if (!b.AddFrame(f))
    {
        return false;
    }
    sf.m_hasAck = true;
    sf.m_ackLargest = f.m_ackRanges.front().m_largest;
    sp.m_ackNeeded = false;
    sp.m_ackImmediate = false;
    sp.m_ackElicitingSinceAck = 0;
    return true;
}

bool
QuicConnection::Impl::BuildPacket(size_t space,
                                  QuicPacketBuilder& b,
                                  size_t budget,
                                  bool congestionOk,
                                  bool& ackEliciting,
                                  uint32_t& frameTypes,
                                  SentFrames& sf)
{
    QuicConnection& q = *m_self;
    PnSpace& sp = m_spaces[space];
    QuicPacketHeader h;
    h.m_type = PacketTypeOf(space);
    h.m_dcid = m_peerCid;
    h.m_scid = m_localCid;
    size_t start = m_datagram.size();
    if (!b.Begin(m_datagram, h, sp.m_nextPn, sp.m_largestAcked, budget))
    {
        return false;
    }
    ackEliciting = false;
    frameTypes = 0;
    Time now = Simulator::Now();

    if (sp.m_ackNeeded && AddAckFrame(space, b, sf))
    {
        frameTypes |= QuicFrameTypeBit(QuicFrameType::ACK);
    }
    bool sendData = congestionOk || sp.m_probes > 0;
    if (sendData && space == 2 && m_role == SERVER && m_handshakeDonePending &&
        b.AddFrame(QuicFrame::HandshakeDone()))
    {
        m_handshakeDonePending = false;
        sf.m_handshakeDone = true;
        ackEliciting = true;
        frameTypes |= QuicFrameTypeBit(QuicFrameType::HANDSHAKE_DONE);
    }
    // CRYPTO: lost ranges first, then new bytes.
    while (sendData && b.Remaining() > CRYPTO_FRAME_OVERHEAD + 1)
    {
        uint64_t offset;
        uint64_t length;
        bool retransmit = !sp.m_cryptoRetransmit.empty();
        if (retransmit)
        {
            offset = sp.m_cryptoRetransmit.front().first;
            length = sp.m_cryptoRetransmit.front().second;
        }
        else if (sp.m_cryptoSent < sp.m_cryptoOut.size())
        {
            offset = sp.m_cryptoSent;
            length = sp.m_cryptoOut.size() - sp.m_cryptoSent;
        }
        else
        {
            break;
        }
        if (offset + length > sp.m_cryptoOut.size())
        {
            // Can only happen for bytes already dropped with discarded keys.
            sp.m_cryptoRetransmit.pop_front();
            continue;
        }
        uint64_t n = std::min<uint64_t>(length, b.Remaining() - CRYPTO_FRAME_OVERHEAD);
        if (!b.AddFrame(QuicFrame::Crypto(offset, sp.m_cryptoOut.data() + offset, n)))
        {
            break;
        }
        sf.m_crypto.emplace_back(offset, n);
        ackEliciting = true;
        frameTypes |= QuicFrameTypeBit(QuicFrameType::CRYPTO);
        if (retransmit)
        {
            if (n == length)
            {
                sp.m_cryptoRetransmit.pop_front();
            }
            else
            {
                sp.m_cryptoRetransmit.front() = {offset + n, length - n};
            }
        }
        else
        {
            sp.m_cryptoSent += n;
        }
    }
    if (space == 2 && sendData && m_handshakeComplete)
    {
        if (m_txCtx == nullptr && AddPathFrames(m_active, b, ackEliciting, frameTypes))
        {
            m_pathFramesInDatagram = true;
        }
        while (!m_testFrames.empty() && b.AddFrame(m_testFrames.front()))
        {
            ackEliciting = true;
            frameTypes |= QuicFrameTypeBit(m_testFrames.front().m_type);
            m_testFrames.erase(m_testFrames.begin());
        }
        // NEW_CONNECTION_ID and RETIRE_CONNECTION_ID (RFC 9000 §19.15, §19.16).
        while (m_cids.HasFramesToSend() && b.Remaining() >= 64)
        {
            QuicFrame f;
            QuicCidFrameRecord rec;
            if (!m_cids.NextFrame(f, rec))
            {
                break;
            }
            if (!b.AddFrame(f))
            {
                m_cids.OnFrameLost(rec);
                break;
            }
            sf.m_cids.push_back(rec);
            ackEliciting = true;
            frameTypes |= QuicFrameTypeBit(f.m_type);
        }
        // Flow-control and stream control frames.
        while (b.Remaining() >= QUIC_STREAM_CONTROL_FRAME_MAX_SIZE && m_streams->HasControlFrame())
        {
            QuicStreamControlFrame c;
            if (!m_streams->NextControlFrame(c, now, m_path->Rtt().GetSmoothedRtt()))
            {
                break;
            }
            QuicFrame f;
            switch (c.type)
            {
            case QuicStreamControlType::MAX_DATA:
                f = QuicFrame::MaxData(c.value);
                break;
            case QuicStreamControlType::MAX_STREAMS_BIDI:
                f = QuicFrame::MaxStreams(true, c.value);
                break;
            case QuicStreamControlType::MAX_STREAMS_UNI:
                f = QuicFrame::MaxStreams(false, c.value);
                break;
            case QuicStreamControlType::RESET_STREAM:
                f = QuicFrame::ResetStream(c.streamId, c.errorCode, c.value);
                break;
            case QuicStreamControlType::STOP_SENDING:
                f = QuicFrame::StopSending(c.streamId, c.errorCode);
                break;
            case QuicStreamControlType::MAX_STREAM_DATA:
                f = QuicFrame::MaxStreamData(c.streamId, c.value);
                break;
            case QuicStreamControlType::STREAM_DATA_BLOCKED:
                f = QuicFrame::StreamDataBlocked(c.streamId, c.value);
                break;
            case QuicStreamControlType::DATA_BLOCKED:
                f = QuicFrame::DataBlocked(c.value);
                break;
            case QuicStreamControlType::STREAMS_BLOCKED_BIDI:
                f = QuicFrame::StreamsBlocked(true, c.value);
                break;
            case QuicStreamControlType::STREAMS_BLOCKED_UNI:
                f = QuicFrame::StreamsBlocked(false, c.value);
                break;
            }
            if (!b.AddFrame(f))
            {
                m_streams->OnControlFrameLost(c); // re-queue
                break;
            }
            sf.m_controls.push_back(c);
            ackEliciting = true;
            frameTypes |= QuicFrameTypeBit(f.m_type);
        }
        // STREAM data, written straight into the packet (no intermediate copy). The frame
        // header is at most 1 + 4 + 4 + 2 bytes while stream ids and offsets stay below 2^30
        // (offsets are bounded by the bytes sent so far); the 8-byte bound is used beyond.
        size_t overhead = STREAM_FRAME_OVERHEAD;
        if (m_stats.m_streamBytesSent < (uint64_t{1} << 30) - (uint64_t{1} << 16) &&
            q.m_initialMaxStreamsBidi < (uint64_t{1} << 27) &&
            q.m_initialMaxStreamsUni < (uint64_t{1} << 27))
        {
            overhead = 1 + 4 + 4 + 2;
        }
        while (b.Remaining() > overhead && m_streams->HasStreamData())
        {
            QuicStreamChunk chunk;
            if (!m_streams->NextStreamChunk(b.Remaining() - overhead, chunk))
            {
                break;
            }
            size_t header = 1 + QuicVarintSize(chunk.streamId) +
                            (chunk.offset > 0 ? QuicVarintSize(chunk.offset) : 0) +
                            QuicVarintSize(chunk.length);
            if (header + chunk.length > b.Remaining())
            {
                // Only possible with a peer-opened stream id above 2^30: give it back.
                m_streams->OnStreamChunkLost(chunk);
                break;
            }
            uint8_t type = 0x08 | 0x02 | (chunk.offset > 0 ? 0x04 : 0) | (chunk.fin ? 0x01 : 0);
            QuicBufferWriter w = b.Writer();
            w.WriteU8(type);
            w.WriteVarint(chunk.streamId);
            if (chunk.offset > 0)
            {
                w.WriteVarint(chunk.offset);
            }
            w.WriteVarint(chunk.length);
            size_t pos = m_datagram.size();
            m_datagram.resize(pos + chunk.length);
            m_streams->CopyStreamData(chunk, m_datagram.data() + pos);
            sf.m_streams.push_back(chunk);
            m_stats.m_streamBytesSent += chunk.length;
            if (!m_firstStreamLogged)
            {
                m_firstStreamLogged = true;
                m_stats.m_firstStreamDataSentTime = now;
            }
            ackEliciting = true;
            frameTypes |= QuicFrameTypeBit(static_cast<QuicFrameType>(type));
        }
    }
    if (sp.m_probes > 0 && !ackEliciting && b.AddFrame(QuicFrame::Ping()))
    {
        ackEliciting = true;
        frameTypes |= QuicFrameTypeBit(QuicFrameType::PING);
    }
    // RFC 9000 §13.2.4: a receiver that sends nothing but ACK frames is never acknowledged, so
    // it keeps reporting every range it has (after losses one per gap, up to MaxAckRanges) in
    // every ACK for the rest of the connection. At most once per smoothed RTT, while it has
    // more than one range, such an ACK-only packet also carries a PING: the peer's ACK of it
    // lets the ranges below the ACK frame's largest go (OnPacketsAcked).
    if (space == 2 && !ackEliciting && sendData && m_handshakeComplete &&
        (frameTypes & QuicFrameTypeBit(QuicFrameType::ACK)) != 0 && sp.m_received.size() > 1 &&
        now >= m_lastAckElicitingSent + m_path->Rtt().GetSmoothedRtt() &&
        b.AddFrame(QuicFrame::Ping()))
    {
        ackEliciting = true;
        frameTypes |= QuicFrameTypeBit(QuicFrameType::PING);
    }
    if (ackEliciting && sp.m_probes > 0)
    {
        --sp.m_probes;
    }
    if (b.PayloadLength() == 0)
    {
        m_datagram.resize(start);
        return false;
    }
    return true;
}

void
QuicConnection::Impl::FinishPacket(size_t space,
                                   QuicPacketBuilder& b,
                                   bool ackEliciting,
                                   uint32_t frameTypes,
                                   uint32_t handle,
                                   size_t datagramOffset)
{
    QuicConnection& q = *m_self;
    PnSpace& sp = m_spaces[space];
    if (m_qlog)
    {
        size_t payloadLength = b.PayloadLength();
        const uint8_t* payload = m_datagram.data() + m_datagram.size() - payloadLength;
        m_qlogScratch.assign(payload, payload + payloadLength);
    }
    if (!b.Finish(sp.m_tx))
    {
        FreeFrames(handle);
        return;
    }
    if (m_qlog)
    {
        QlogPacket(true,
                   PacketTypeOf(space),
                   sp.m_nextPn,
                   m_peerCid,
                   m_localCid,
                   m_datagram.size() - datagramOffset,
                   m_qlogScratch.data(),
                   m_qlogScratch.size());
    }
    Time now = Simulator::Now();
    uint64_t pn = sp.m_nextPn++;
    uint32_t size = static_cast<uint32_t>(m_datagram.size() - datagramOffset);
    bool padded = (frameTypes & QuicFrameTypeBit(QuicFrameType::PADDING)) != 0;
    QuicSentPacket p;
    p.m_packetNumber = pn;
    p.m_timeSent = now;
    p.m_sentBytes = size;
    p.m_pathId = m_path->GetId();
    p.m_ackEliciting = ackEliciting;
    p.m_inFlight = ackEliciting || padded;
    if (m_pool[handle].Empty())
    {
        FreeFrames(handle);
        p.m_frames = QuicSentPacket::NO_FRAMES;
    }
    else
    {
        p.m_frames = handle;
    }
    m_recovery->OnPacketSent(SpaceOf(space), p);
    ++m_stats.m_packetsSent;
    if (ackEliciting)
    {
        m_lastAckElicitingSent = now;
    }
    if (ackEliciting && !m_ackElicitingSentSinceRx)
    {
        // RFC 9000 §10.1: the idle timer restarts on the first ack-eliciting packet sent
        // after a packet was received.
        m_ackElicitingSentSinceRx = true;
        ResetIdleTimer(now);
    }
    if (space == 0 && !m_firstInitialLogged && m_role == CLIENT)
    {
        m_firstInitialLogged = true;
        m_stats.m_firstInitialSentTime = now;
        q.m_handshakeTrace(&q, "initial_sent");
    }
    if (space == 2 && !m_first1RttLogged)
    {
        m_first1RttLogged = true;
        m_stats.m_first1RttSentTime = now;
    }
    if (!q.m_packetSentTrace.IsEmpty())
    {
        // Fired by TransmitDatagram(), once the datagram size is known.
        m_pendingTraces.push_back(MakeInfo(PacketTypeOf(space),
                                           pn,
                                           size,
                                           frameTypes,
                                           ackEliciting,
                                           m_peerCid,
                                           m_localCid));
    }
}

void
QuicConnection::Impl::TransmitDatagram()
{
    QuicConnection& q = *m_self;
    if (m_datagram.empty())
    {
        return;
    }
    m_endpoint->SendDatagram(m_path->GetSocket(),
                             m_datagram.data(),
                             m_datagram.size(),
                             m_path->GetRemoteAddress());
    m_path->OnBytesSent(m_datagram.size());
    ++m_stats.m_datagramsSent;
    m_stats.m_bytesSent += m_datagram.size();
    for (QuicPacketTraceInfo& info : m_pendingTraces)
    {
        info.m_datagramSize = static_cast<uint32_t>(m_datagram.size());
        q.m_packetSentTrace(&q, info);
    }
    m_pendingTraces.clear();
}

void
QuicConnection::Impl::SendPending()
{
    if (m_state == CLOSED || m_state == DRAINING || m_state == CLOSING || !m_started)
    {
        return;
    }
    if (m_inReceive > 0)
    {
        m_sendRequested = true; // Receive() sends once the datagram is processed
        return;
    }
    QuicConnection& q = *m_self;
    ScratchLease lease(m_datagram, DatagramPool(), q.m_maxUdpPayloadSize + 64, false);
    Time now = Simulator::Now();
    m_pacingWake = Time(0);
    for (int n = 0; n < MAX_DATAGRAMS_PER_CALL; ++n)
    {
        size_t maxSize = std::min<size_t>(q.m_maxUdpPayloadSize, m_peerMaxUdpPayload);
        uint64_t credit = m_path->GetAmplificationCredit();
        bool ampLimited = credit < maxSize;
        if (ampLimited)
        {
            maxSize = static_cast<size_t>(credit);
        }
        // RFC 9002 §6.2.2.1 (CC-11): no PTO while blocked by the anti-amplification limit.
        m_recovery->SetAmplificationBlocked(m_role == SERVER && credit < 64, now);
        if (maxSize < 64)
        {
            break;
        }
        QuicCongestionState& cs = m_path->Congestion();
        bool probing = false;
        for (const PnSpace& sp : m_spaces)
        {
            probing = probing || (sp.m_probes > 0 && sp.m_txReady);
        }
        bool congestionOk = probing || cs.m_bytesInFlight < cs.m_congestionWindow;
        if (congestionOk && !probing)
        {
            Time wait =
                m_cc->GetPacingDelay(cs, m_path->Rtt(), static_cast<uint32_t>(maxSize), now);
            if (wait.IsStrictlyPositive())
            {
                congestionOk = false;
                m_pacingWake = now + wait;
            }
        }

        m_datagram.clear();
        m_pathFramesInDatagram = false;
        QuicPacketBuilder b;
        int openSpace = -1;
        bool openAckEliciting = false;
        uint32_t openFrameTypes = 0;
        uint32_t openHandle = 0;
        size_t openStart = 0;
        bool containsInitial = false;
        bool initialAckEliciting = false;
        for (size_t s = 0; s < QUIC_PN_SPACE_COUNT; ++s)
        {
            if (!HasSomethingToSend(s, congestionOk, now))
            {
                continue;
            }
            if (openSpace >= 0)
            {
                FinishPacket(static_cast<size_t>(openSpace),
                             b,
                             openAckEliciting,
                             openFrameTypes,
                             openHandle,
                             openStart);
                openSpace = -1;
            }
            if (m_datagram.size() + 64 > maxSize)
            {
                break;
            }
            uint32_t handle = AllocFrames();
            bool ae = false;
            uint32_t ft = 0;
            size_t start = m_datagram.size();
            if (!BuildPacket(s,
                             b,
                             maxSize - m_datagram.size(),
                             congestionOk,
                             ae,
                             ft,
                             m_pool[handle]))
            {
                FreeFrames(handle);
                continue;
            }
            openSpace = static_cast<int>(s);
            openAckEliciting = ae;
            openFrameTypes = ft;
            openHandle = handle;
            openStart = start;
            if (s == 0)
            {
                containsInitial = true;
                initialAckEliciting = ae;
            }
        }
        if (openSpace < 0)
        {
            break;
        }
        // RFC 9000 §14.1 (AMP-04): a client pads every datagram carrying an Initial to 1200
        // bytes, a server those carrying an ack-eliciting Initial; datagrams with
        // PATH_CHALLENGE or PATH_RESPONSE are padded too, within the 3x limit (PV-05, PV-12).
        bool pathFrames = m_pathFramesInDatagram;
        m_pathFramesInDatagram = false;
        if ((containsInitial && (m_role == CLIENT || initialAckEliciting)) || pathFrames)
        {
            size_t before = m_datagram.size();
            b.PadDatagramTo(std::min<size_t>(MIN_DATAGRAM_SIZE, maxSize));
            if (m_datagram.size() > before)
            {
                openFrameTypes |= QuicFrameTypeBit(QuicFrameType::PADDING);
            }
        }
        bool challenge = (openFrameTypes & QuicFrameTypeBit(QuicFrameType::PATH_CHALLENGE)) != 0;
        FinishPacket(static_cast<size_t>(openSpace),
                     b,
                     openAckEliciting,
                     openFrameTypes,
                     openHandle,
                     openStart);
        if (challenge && m_datagram.size() < MIN_DATAGRAM_SIZE)
        {
            m_active->m_smallChallenge = true; // PV-06: a full-size validation must follow
        }
        TransmitDatagram();
        if (m_role == CLIENT && !m_spaces[1].m_discarded && m_spaces[1].m_nextPn > 0 &&
            !m_spaces[0].m_discarded)
        {
            // RFC 9001 §4.9.1: the client discards Initial keys when it first sends a
            // Handshake packet.
            DiscardSpace(0);
        }
    }
    SendProbes();
    UpdateTracedState();
    RearmTimer();
}

// =============================================================================================
// Timers
// =============================================================================================

Time
QuicConnection::Impl::CurrentPto() const
{
    Time mad = m_handshakeConfirmed ? m_recovery->GetPeerMaxAckDelay() : Time(0);
    return m_path->Rtt().GetPto(mad);
}

void
QuicConnection::Impl::ResetIdleTimer(Time now)
{
    if (m_idleTimeout.IsZero())
    {
        return;
    }
    // RFC 9000 §10.1 (TERM-01): at least three times the current PTO.
    m_idleDeadline = now + std::max(m_idleTimeout, 3 * CurrentPto());
    if (m_role == CLIENT || true)
    {
        m_ackElicitingSentSinceRx = false;
    }
}

void
QuicConnection::Impl::RearmTimer()
{
    if (m_state == CLOSED)
    {
        CancelTimer();
        return;
    }
    Time now = Simulator::Now();
    Time deadline = Time::Max();
    if (m_state == CLOSING || m_state == DRAINING)
    {
        deadline = m_closeDeadline;
    }
    else
    {
        if (m_recovery->IsLossDetectionTimerArmed())
        {
            deadline = std::min(deadline, m_recovery->GetLossDetectionTimer());
        }
        // RFC 9000 §8.1: with the active path's anti-amplification budget spent nothing can be
        // sent (SendPending) until a datagram arrives and sends again; an ACK deadline here
        // would re-arm the timer at the current time forever.
        const bool amplificationBlocked = m_path->GetAmplificationCredit() < 64;
        for (const PnSpace& sp : m_spaces)
        {
            if (sp.m_ackNeeded && sp.m_txReady && !amplificationBlocked)
            {
                deadline = std::min(deadline, sp.m_ackImmediate ? now : sp.m_ackDeadline);
            }
        }
        if (!m_idleTimeout.IsZero() && !m_idleDeadline.IsZero())
        {
            deadline = std::min(deadline, m_idleDeadline);
        }
        if (m_pacingWake.IsStrictlyPositive())
        {
            deadline = std::min(deadline, m_pacingWake);
        }
        if (m_nextRotation.IsStrictlyPositive())
        {
            deadline = std::min(deadline, m_nextRotation);
        }
        if (KeepAliveEnabled())
        {
            deadline = std::min(deadline, m_lastAckElicitingSent + m_self->m_keepAliveInterval);
        }
        for (const auto& p : m_paths)
        {
            deadline = std::min(deadline, p->m_validator.GetDeadline());
        }
    }
    if (deadline == Time::Max())
    {
        CancelTimer();
        return;
    }
    if (deadline < now)
    {
        deadline = now;
    }
    if (m_timerArmed && m_timerAt <= deadline)
    {
        return; // fires earlier; OnTimer() re-arms
    }
    CancelTimer();
    m_timerAt = deadline;
    m_timer = Simulator::Schedule(deadline - now, &Impl::OnTimer, this);
    m_timerArmed = true;
}

void
QuicConnection::Impl::CancelTimer()
{
    if (m_timerArmed)
    {
        Simulator::Cancel(m_timer);
        m_timerArmed = false;
    }
}

void
QuicConnection::Impl::OnTimer()
{
    m_timerArmed = false;
    Ptr<QuicConnection> keepAlive = m_self;
    Time now = Simulator::Now();
    if (m_state == CLOSED)
    {
        return;
    }
    if (m_state == CLOSING || m_state == DRAINING)
    {
        if (now >= m_closeDeadline)
        {
            Terminate(m_state == DRAINING);
        }
        else
        {
            RearmTimer();
        }
        return;
    }
    if (!m_idleTimeout.IsZero() && !m_idleDeadline.IsZero() && now >= m_idleDeadline)
    {
        // RFC 9000 §10.1: silently close on idle timeout.
        m_closeError = static_cast<uint64_t>(QuicTransportError::NO_ERROR);
        m_self->m_handshakeTrace(m_self, "idle_timeout");
        if (m_qlog)
        {
            QuicQlogConnectionClose cc;
            cc.m_owner = QuicQlogOwner::LOCAL;
            cc.m_trigger = QuicQlogCloseTrigger::IDLE_TIMEOUT;
            m_qlog->ConnectionClosed(now, cc);
        }
        Terminate(false);
        return;
    }
    for (size_t i = 0; i < m_paths.size(); ++i)
    {
        PathCtx* p = m_paths[i].get();
        if (p->m_validator.OnTimer(now))
        {
            OnValidationFailed(p);
            if (m_state == CLOSED)
            {
                return;
            }
        }
    }
    if (m_nextRotation.IsStrictlyPositive() && now >= m_nextRotation)
    {
        m_nextRotation = now + m_self->m_cidRotationInterval;
        RotateCid("rotated");
    }
    if (KeepAliveEnabled() && now >= m_lastAckElicitingSent + m_self->m_keepAliveInterval)
    {
        // RFC 9000 §10.1.2: a PING keeps NAT bindings and the peer's idle timer alive. Sent
        // as a probe of the application space (one ack-eliciting packet whatever the
        // congestion window, a PING when nothing else is due). The next keep-alive counts
        // from now even if this one cannot leave, so the timer never spins.
        NS_LOG_INFO("keep-alive PING after " << (now - m_lastAckElicitingSent).As(Time::S));
        m_lastAckElicitingSent = now;
        m_spaces[2].m_probes = std::max<uint32_t>(m_spaces[2].m_probes, 1);
    }
    if (m_recovery->IsLossDetectionTimerArmed() && m_recovery->GetLossDetectionTimer() <= now)
    {
        const QuicRecoveryResult& r = m_recovery->OnLossDetectionTimeout(now);
        size_t space = static_cast<size_t>(r.m_space);
        switch (r.m_action)
        {
        case QuicLossTimerAction::LOSS_DETECTED:
            m_lostScratch.assign(r.m_lost.begin(), r.m_lost.end());
            OnPacketsLost(space, m_lostScratch);
            break;
        case QuicLossTimerAction::SEND_PROBES:
        case QuicLossTimerAction::SEND_ANTI_DEADLOCK: {
            ++m_stats.m_ptoCount;
            PnSpace& sp = m_spaces[space];
            sp.m_probes += std::max<uint32_t>(1, r.m_probePackets);
            if (space < 2 && sp.m_cryptoSent > 0)
            {
                // Probes in Initial/Handshake carry the unacknowledged CRYPTO data again.
                sp.m_cryptoRetransmit.clear();
                sp.m_cryptoRetransmit.emplace_back(0, sp.m_cryptoSent);
            }
            break;
        }
        case QuicLossTimerAction::NONE:
            break;
        }
    }
    SendPending();
}

// =============================================================================================
// Closing
// =============================================================================================

void
QuicConnection::Impl::StartClosing(uint64_t error,
                                   bool isApp,
                                   const std::string& reason,
                                   uint64_t frameType)
{
    if (m_state == CLOSING || m_state == DRAINING || m_state == CLOSED)
    {
        return;
    }
    NS_LOG_INFO("closing: " << (isApp ? "application " : "") << "error " << error << " " << reason);
    m_closeError = error;
    m_closeIsApp = isApp;
    m_closeReason = reason.substr(0, 200);
    m_closeFrameType = frameType;
    if (m_qlog)
    {
        QuicQlogConnectionClose cc;
        cc.m_owner = QuicQlogOwner::LOCAL;
        if (isApp)
        {
            cc.m_applicationCode = error;
        }
        else
        {
            cc.m_connectionCode = error;
        }
        cc.m_reason = m_closeReason;
        cc.m_trigger = isApp ? QuicQlogCloseTrigger::APPLICATION : QuicQlogCloseTrigger::ERROR;
        m_qlog->ConnectionClosed(Simulator::Now(), cc);
        QlogState(QuicQlogConnectionState::CLOSING);
    }
    SendClose();
    m_state = CLOSING;
    // RFC 9000 §10.2: the closing state lasts at least three times the current PTO.
    m_closeDeadline = Simulator::Now() + 3 * CurrentPto();
    m_self->m_handshakeTrace(m_self, "closing");
    RearmTimer();
}

void
QuicConnection::Impl::SendClose()
{
    // The highest packet-number space with keys; an application close before the handshake
    // is confirmed becomes a transport APPLICATION_ERROR in long-header packets (§10.2.3).
    int space = -1;
    for (int s = 2; s >= 0; --s)
    {
        if (m_spaces[s].m_txReady && !m_spaces[s].m_discarded)
        {
            space = s;
            break;
        }
    }
    if (space < 0)
    {
        return;
    }
    if (space == 2 && !m_handshakeConfirmed && m_spaces[1].m_txReady && !m_spaces[1].m_discarded)
    {
        space = 1;
    }
    const uint8_t* reason = reinterpret_cast<const uint8_t*>(m_closeReason.data());
    QuicFrame f;
    if (m_closeIsApp && space == 2)
    {
        f = QuicFrame::ApplicationClose(m_closeError, reason, m_closeReason.size());
    }
    else if (m_closeIsApp)
    {
        f = QuicFrame::ConnectionClose(QuicTransportError::APPLICATION_ERROR, 0, nullptr, 0);
    }
    else
    {
        f = QuicFrame::ConnectionClose(static_cast<QuicTransportError>(m_closeError),
                                       m_closeFrameType,
                                       reason,
                                       m_closeReason.size());
    }
    PnSpace& sp = m_spaces[static_cast<size_t>(space)];
    ScratchLease lease(m_datagram, DatagramPool(), m_self->m_maxUdpPayloadSize + 64, false);
    m_datagram.clear();
    QuicPacketBuilder b;
    QuicPacketHeader h;
    h.m_type = PacketTypeOf(static_cast<size_t>(space));
    h.m_dcid = m_peerCid;
    h.m_scid = m_localCid;
    size_t budget =
        std::min<uint64_t>(m_self->m_maxUdpPayloadSize, m_path->GetAmplificationCredit());
    if (budget < 64 || !b.Begin(m_datagram, h, sp.m_nextPn, sp.m_largestAcked, budget))
    {
        return;
    }
    if (!b.AddFrame(f))
    {
        f = m_closeIsApp && space == 2
                ? QuicFrame::ApplicationClose(m_closeError)
                : QuicFrame::ConnectionClose(static_cast<QuicTransportError>(m_closeError),
                                             m_closeFrameType);
        b.AddFrame(f);
    }
    if (space == 0 && m_role == CLIENT)
    {
        b.PadDatagramTo(std::min<size_t>(MIN_DATAGRAM_SIZE, budget));
    }
    if (!b.Finish(sp.m_tx))
    {
        return;
    }
    ++m_stats.m_packetsSent;
    if (!m_self->m_packetSentTrace.IsEmpty())
    {
        m_pendingTraces.push_back(MakeInfo(h.m_type,
                                           sp.m_nextPn,
                                           static_cast<uint32_t>(m_datagram.size()),
                                           QuicFrameTypeBit(f.m_type),
                                           false,
                                           m_peerCid,
                                           m_localCid));
    }
    ++sp.m_nextPn;
    m_closeDatagram = m_datagram;
    TransmitDatagram();
}

void
QuicConnection::Impl::EnterDraining()
{
    if (m_state == DRAINING || m_state == CLOSED)
    {
        return;
    }
    m_state = DRAINING;
    if (m_qlog)
    {
        QuicQlogConnectionClose cc;
        cc.m_owner = QuicQlogOwner::REMOTE;
        if (m_closeIsApp)
        {
            cc.m_applicationCode = m_closeError;
        }
        else
        {
            cc.m_connectionCode = m_closeError;
        }
        m_qlog->ConnectionClosed(Simulator::Now(), cc);
        QlogState(QuicQlogConnectionState::DRAINING);
    }
    m_closeDeadline = Simulator::Now() + 3 * CurrentPto();
    m_self->m_handshakeTrace(m_self, "draining");
    RearmTimer();
}

void
QuicConnection::Impl::Terminate(bool byPeer)
{
    if (m_state == CLOSED)
    {
        return;
    }
    Ptr<QuicConnection> self = m_self;
    m_state = CLOSED;
    CancelTimer();
    m_self->m_handshakeTrace(m_self, "closed");
    if (m_qlog)
    {
        QlogState(QuicQlogConnectionState::CLOSED);
        m_qlog->Close();
    }
    if (m_endpoint)
    {
        m_cids.UnregisterAll();
        if (m_localCid.IsEmpty())
        {
            m_endpoint->UnregisterTuple(m_path->GetLocalAddress(), m_path->GetRemoteAddress());
        }
        if (m_role == SERVER)
        {
            m_endpoint->UnregisterCid(m_originalDcid);
        }
    }
    m_self->m_closedTrace(self, m_closeError, byPeer);
    if (!m_closedCallback.IsNull())
    {
        m_closedCallback(self, m_closeError, byPeer);
    }
    if (m_endpoint)
    {
        m_endpoint->ConnectionClosed(self);
    }
}

// =============================================================================================
// qlog
// =============================================================================================

void
QuicConnection::Impl::OpenQlog()
{
    const std::string& dir = m_self->m_qlogDirectory;
    if (dir.empty())
    {
        return;
    }
    m_qlog = Create<QuicQlogWriter>();
    std::string path =
        dir + "/" + m_originalDcid.ToHex() + (m_role == CLIENT ? "_client" : "_server") + ".sqlog";
    if (!m_qlog->Open(path,
                      m_role == CLIENT ? QuicQlogVantagePoint::CLIENT
                                       : QuicQlogVantagePoint::SERVER,
                      "quic-migration " + std::string(m_role == CLIENT ? "client" : "server"),
                      m_originalDcid,
                      Simulator::Now()))
    {
        NS_LOG_WARN("qlog disabled: " << m_qlog->GetLastError());
        m_qlog = nullptr;
        return;
    }
    m_qlog->ConnectionStarted(Simulator::Now(),
                              m_path->GetLocalAddress(),
                              m_path->GetRemoteAddress(),
                              m_localCid,
                              m_peerCid);
    QlogState(QuicQlogConnectionState::HANDSHAKE_STARTED);
}

void
QuicConnection::Impl::QlogState(QuicQlogConnectionState state)
{
    if (m_qlog)
    {
        m_qlog->ConnectionStateUpdated(Simulator::Now(), std::nullopt, state);
    }
}

void
QuicConnection::Impl::QlogPacket(bool sent,
                                 QuicPacketType type,
                                 uint64_t pn,
                                 const QuicConnectionId& dcid,
                                 const QuicConnectionId& scid,
                                 size_t length,
                                 const uint8_t* payload,
                                 size_t payloadLength)
{
    QuicQlogPacketHeader h;
    h.m_type = type;
    h.m_packetNumber = pn;
    h.m_dcid = dcid;
    if (type != QuicPacketType::ONE_RTT)
    {
        h.m_scid = scid;
        h.m_version = QUIC_VERSION_1;
    }
    h.m_length = length;
    h.m_payloadLength = payloadLength;
    h.m_datagramId = m_datagramId;
    Time now = Simulator::Now();
    if (sent)
    {
        m_qlog->BeginPacketSent(now, h);
    }
    else
    {
        m_qlog->BeginPacketReceived(now, h);
    }
    uint64_t exponent = type == QuicPacketType::ONE_RTT
                            ? (sent ? m_self->m_ackDelayExponent : m_peerAckDelayExponent)
                            : 3;
    QuicFrameParser parser(payload, payloadLength, type);
    QuicFrame f;
    while (parser.Next(f))
    {
        Time ackDelay =
            MicroSeconds(static_cast<int64_t>(std::min<uint64_t>(f.m_ackDelay, uint64_t{1} << 40)
                                              << std::min<uint64_t>(exponent, 20)));
        m_qlog->AddFrame(f, ackDelay);
    }
    m_qlog->EndPacket();
}

void
QuicConnection::Impl::QlogMetrics()
{
    QuicQlogMetrics m;
    const QuicRttEstimator& rtt = m_path->Rtt();
    const QuicCongestionState& cs = m_path->Congestion();
    if (rtt.HasSample())
    {
        m.m_minRtt = rtt.GetMinRtt();
        m.m_smoothedRtt = rtt.GetSmoothedRtt();
        m.m_latestRtt = rtt.GetLatestRtt();
        m.m_rttVariance = rtt.GetRttVar();
    }
    m.m_congestionWindow = cs.m_congestionWindow;
    m.m_bytesInFlight = cs.m_bytesInFlight;
    if (cs.m_ssThresh != QuicCongestionState::INFINITE_SSTHRESH)
    {
        m.m_ssthresh = cs.m_ssThresh;
    }
    m_qlog->MetricsUpdated(Simulator::Now(), m);
}

// =============================================================================================
// Traces
// =============================================================================================

void
QuicConnection::Impl::UpdateTracedState()
{
    QuicConnection& q = *m_self;
    if (!m_path)
    {
        return;
    }
    const QuicCongestionState& cs = m_path->Congestion();
    bool changed = q.m_cwnd.Get() != cs.m_congestionWindow;
    q.m_cwnd = cs.m_congestionWindow;
    q.m_bytesInFlight = cs.m_bytesInFlight;
    if (m_path->Rtt().HasSample())
    {
        changed = changed || q.m_latestRtt.Get() != m_path->Rtt().GetLatestRtt() ||
                  q.m_smoothedRtt.Get() != m_path->Rtt().GetSmoothedRtt();
        q.m_smoothedRtt = m_path->Rtt().GetSmoothedRtt();
        q.m_latestRtt = m_path->Rtt().GetLatestRtt();
    }
    if (changed && m_qlog)
    {
        QlogMetrics();
    }
}

QuicPacketTraceInfo
QuicConnection::Impl::MakeInfo(QuicPacketType type,
                               uint64_t pn,
                               uint32_t size,
                               uint32_t frameTypes,
                               bool ackEliciting,
                               const QuicConnectionId& dcid,
                               const QuicConnectionId& scid) const
{
    QuicPacketTraceInfo i;
    i.m_type = type;
    i.m_packetNumber = pn;
    i.m_size = size;
    i.m_datagramSize = size;
    i.m_frameTypes = frameTypes;
    i.m_ackEliciting = ackEliciting;
    i.m_probing = frameTypes != 0 && (frameTypes & ~QUIC_FRAME_MASK_PROBING) == 0;
    i.m_dcid = dcid;
    i.m_scid = scid;
    i.m_pathId = m_path->GetId();
    i.m_local = m_path->GetLocalAddress();
    i.m_remote = m_path->GetRemoteAddress();
    return i;
}

} // namespace ns3
