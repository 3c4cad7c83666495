/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_LOSS_RECOVERY_H
#define QUIC_LOSS_RECOVERY_H

#include "quic-congestion-control.h"
#include "quic-frame.h"
#include "quic-packet-number.h"
#include "quic-rtt-estimator.h"

#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/ptr.h"
#include "ns3/traced-callback.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ns3
{

// QuicAckRange (one acknowledged interval) comes from quic-frame.h.

/**
 * \ingroup quic-migration
 * \brief Outcome of checking an ACK frame against the packets sent.
 */
enum class QuicAckStatus : uint8_t
{
    OK,             ///< processed (possibly nothing newly acknowledged: duplicate or old ACK)
    INVALID_RANGES, ///< ranges empty, not descending or overlapping (FRAME_ENCODING_ERROR)
    UNSENT_PACKET,  ///< acknowledges a packet never sent (PROTOCOL_VIOLATION, RFC 9000 §13.1)
};

/**
 * \ingroup quic-migration
 * \brief What the loss-detection timer asks the sender to do (RFC 9002 App. A.9).
 */
enum class QuicLossTimerAction : uint8_t
{
    NONE,               ///< nothing (timer not due, or not armed)
    LOSS_DETECTED,      ///< time-threshold losses were declared (see m_lost)
    SEND_PROBES,        ///< PTO: send m_probePackets ack-eliciting packets in m_space
    SEND_ANTI_DEADLOCK, ///< client anti-deadlock PTO: one ack-eliciting packet in m_space
                        ///< (Handshake, or an Initial padded to 1200 bytes; App. A.9)
};

/**
 * \ingroup quic-migration
 * \brief Result of QuicLossRecovery::OnAckReceived() and OnLossDetectionTimeout().
 *
 * Owned by the QuicLossRecovery and reused (its vectors keep their capacity), so a reference
 * to it is valid until the next call that returns one.
 */
struct QuicRecoveryResult
{
    QuicAckStatus m_status{QuicAckStatus::OK};                     //!< ACK validity (ACK only)
    QuicLossTimerAction m_action{QuicLossTimerAction::NONE};       //!< timer action (timeout only)
    QuicPacketNumberSpace m_space{QuicPacketNumberSpace::INITIAL}; //!< space concerned
    uint32_t m_probePackets{0};          //!< probes to send for SEND_* actions
    std::vector<QuicSentPacket> m_acked; //!< newly acknowledged, descending pn
    std::vector<QuicSentPacket> m_lost;  //!< newly declared lost, ascending pn
    bool m_rttSampled{false}; //!< RTT sample taken (applied if m_rttPathId is registered)
    uint32_t m_rttPathId{0};  //!< path that received the sample
    Time m_latestRtt;         //!< the sample (latest_rtt)
    std::vector<uint32_t> m_persistentCongestion; //!< paths where it was established

    /// Clear for a new call, keeping the vectors' capacity.
    void Clear();
};

/**
 * \ingroup quic-migration
 * \brief Loss detection of one connection (RFC 9002 §6 and App. A), feeding RTT samples and
 * congestion signals to the per-path estimators and controllers (App. B, RFC 9000 §9.4).
 *
 * What it owns:
 * - per packet number space (Initial, Handshake, Application Data): the sent-packet records
 *   (QuicSentPacket: packet number, send time, size, ack-eliciting, in-flight, path id and an
 *   opaque handle to the frames), largest_acked_packet, time_of_last_ack_eliciting_packet and
 *   loss_time (App. A.1 to A.3). Records sit in a ring buffer indexed by
 *   (packet number - oldest outstanding), so finding a packet is O(1); acknowledged and lost
 *   records become tombstones popped from the front. A space tracks at most the packets from
 *   its oldest outstanding one to the newest sent: after each ACK nothing older than
 *   largest_acked - kPacketThreshold stays outstanding, so every ACK, loss scan and timer
 *   computation costs O(1) amortised per packet, with no allocation once the ring and the
 *   result vectors have grown to the working window;
 * - pto_count and the single loss-detection deadline (App. A.8), reported by
 *   GetLossDetectionTimer() for the connection's one ns-3 timer.
 *
 * What it borrows: for every path id, the path's QuicRttEstimator, QuicCongestionState and
 * QuicCongestionOps (AddPath()). Acknowledgments, RTT samples, losses, bytes in flight and
 * persistent congestion are attributed to the path each packet was sent on, never to the
 * current one (RFC 9000 §9.4, RFC 9002 §5.3 and §7: requirement CC-01). Packets of a path that
 * was removed are still acknowledged and declared lost, without effect on any estimator or
 * controller.
 *
 * Implemented: §5.1 sample rule (largest acknowledged newly acknowledged and an ack-eliciting
 * packet among the newly acknowledged); ACK delay ignored in the Initial space (§5.3 MAY);
 * §6.1 packet threshold (Attribute "PacketThreshold", 3) and time threshold
 * (max(kTimeThreshold * max(smoothed_rtt, latest_rtt), kGranularity), with the RTT of each
 * packet's path; "TimeThreshold", 9/8); §6.2 PTO per space with max_ack_delay in Application
 * Data only, exponential backoff shared by all spaces, no Application Data PTO before the
 * handshake is confirmed, no PTO while amplification-blocked (§6.2.2.1, set by the caller), the
 * client anti-deadlock PTO while the peer may still be validating its address (App. A.8), and
 * pto_count not reset by a client's ACKs before that (§6.2.1); §6.4 and App. A.11 discarding a
 * space; §7.6 persistent congestion per path: two ack-eliciting packets of the path declared
 * lost together, sent after the path's first RTT sample, no packet of that path acknowledged
 * between them in the space, sent more than
 * (smoothed_rtt + max(4 * rttvar, kGranularity) + max_ack_delay) * kPersistentCongestionThreshold
 * apart; then cwnd = kMinimumWindow and min_rtt = latest_rtt (§5.2). An ACK of a packet number
 * never sent (above the largest sent, below the first sent, or one of the last skipped ones) is
 * reported as QuicAckStatus::UNSENT_PACKET without changing any state.
 *
 * Left out: ECN (§7.1, App. B.7), spurious-loss detection and adaptive thresholds (§6.1 MAY),
 * keeping lost records for late ACKs (App. A.1 MAY), the "speed up handshake completion" early
 * retransmissions (§6.2.3), and persistent congestion across packet number spaces (§7.6.2
 * allows one space). What the probes contain, and sending them, is the connection's job.
 */
class QuicLossRecovery : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /// Constructor: client role, no path, handshake not confirmed, max_ack_delay 25 ms.
    QuicLossRecovery();
    /// Destructor.
    ~QuicLossRecovery() override;

    /**
     * TracedCallback signature for a packet declared lost.
     * \param [in] space the packet number space
     * \param [in] packet the lost packet
     */
    typedef void (*PacketLostCallback)(QuicPacketNumberSpace space, const QuicSentPacket& packet);

    /**
     * TracedCallback signature for persistent congestion established on a path.
     * \param [in] pathId the path
     */
    typedef void (*PersistentCongestionCallback)(uint32_t pathId);

    /**
     * TracedCallback signature for an RTT sample.
     * \param [in] pathId the path the acknowledged packet was sent on
     * \param [in] latestRtt the sample
     * \param [in] smoothedRtt smoothed_rtt after the sample
     */
    typedef void (*RttSampleCallback)(uint32_t pathId, Time latestRtt, Time smoothedRtt);

    /**
     * TracedCallback signature for a PTO expiry.
     * \param [in] space the space to probe
     * \param [in] ptoCount pto_count before the increment
     */
    typedef void (*ProbeTimeoutCallback)(QuicPacketNumberSpace space, uint32_t ptoCount);

    /**
     * \brief Register a path. The pointed-to objects must outlive the registration (until
     * RemovePath() or destruction); the path owns them.
     * \param pathId the id the connection puts in QuicSentPacket::m_pathId
     * \param rtt the path's RTT estimator
     * \param cc the path's congestion state
     * \param ops the congestion controller acting on cc
     */
    void AddPath(uint32_t pathId,
                 QuicRttEstimator* rtt,
                 QuicCongestionState* cc,
                 Ptr<QuicCongestionOps> ops);

    /**
     * \brief Forget a path: its outstanding packets no longer touch any estimator or window.
     * \param pathId the path
     */
    void RemovePath(uint32_t pathId);

    /**
     * \brief Whether a path is registered.
     * \param pathId the path
     * \return true if AddPath() was called and RemovePath() was not
     */
    bool HasPath(uint32_t pathId) const;

    /**
     * \brief The path whose RTT sets the anti-deadlock PTO (normally the active path).
     * \param pathId the path
     */
    void SetActivePath(uint32_t pathId);

    /**
     * \brief Endpoint role. A server assumes its address validated by the client
     * (App. A.8 PeerCompletedAddressValidation). Default: client.
     * \param isServer true for a server
     */
    void SetIsServer(bool isServer);

    /**
     * \brief The peer's max_ack_delay transport parameter (RFC 9000 §18.2; default 25 ms).
     * \param maxAckDelay the value
     */
    void SetPeerMaxAckDelay(Time maxAckDelay);

    /**
     * \brief The peer's max_ack_delay in use.
     * \return the value
     */
    Time GetPeerMaxAckDelay() const;

    /**
     * \brief The handshake is confirmed (RFC 9001 §4.1.2): ACK delays are capped at
     * max_ack_delay and the Application Data PTO may be armed. Re-arms the timer.
     * \param now the current time
     */
    void OnHandshakeConfirmed(Time now);

    /**
     * \brief Whether OnHandshakeConfirmed() was called.
     * \return true once confirmed
     */
    bool IsHandshakeConfirmed() const;

    /**
     * \brief Whether Handshake keys exist (chooses the anti-deadlock probe space, App. A.9).
     * \param hasKeys true once Handshake keys are installed
     */
    void SetHasHandshakeKeys(bool hasKeys);

    /**
     * \brief Whether the sender is blocked by the anti-amplification limit (RFC 9000 §8.1;
     * RFC 9002 §6.2.2.1: no PTO then). Re-arms the timer. When a datagram unblocks the sender,
     * call with false and run OnLossDetectionTimeout() if the deadline has passed (App. A.6).
     * \param blocked true while nothing more may be sent
     * \param now the current time
     */
    void SetAmplificationBlocked(bool blocked, Time now);

    /**
     * \brief A packet was sent (RFC 9002 App. A.5). Packet numbers must increase within a
     * space; gaps (skipped numbers) are allowed. In-flight packets count into the bytes in
     * flight of their path's QuicCongestionState and go through its QuicCongestionOps.
     * \param space the packet number space
     * \param packet the record; m_timeSent is "now"
     */
    void OnPacketSent(QuicPacketNumberSpace space, const QuicSentPacket& packet);

    /**
     * \brief An ACK frame was received (RFC 9002 App. A.7). Detects newly acknowledged and
     * lost packets, takes an RTT sample, informs the paths' controllers and re-arms the timer.
     * \param space the space the ACK frame arrived in
     * \param ranges the ACK ranges, largest first (descending, non-overlapping)
     * \param count the number of ranges
     * \param ackDelay the decoded ACK Delay field
     * \param now the current time
     * \return the outcome, valid until the next call
     */
    const QuicRecoveryResult& OnAckReceived(QuicPacketNumberSpace space,
                                            const QuicAckRange* ranges,
                                            size_t count,
                                            Time ackDelay,
                                            Time now);

    /**
     * \brief OnAckReceived() with the ranges in a vector.
     * \param space the space the ACK frame arrived in
     * \param ranges the ACK ranges, largest first
     * \param ackDelay the decoded ACK Delay field
     * \param now the current time
     * \return the outcome, valid until the next call
     */
    const QuicRecoveryResult& OnAckReceived(QuicPacketNumberSpace space,
                                            const std::vector<QuicAckRange>& ranges,
                                            Time ackDelay,
                                            Time now);

    /**
     * \brief The loss-detection timer fired (RFC 9002 App. A.9). Before the deadline, or with
     * no timer armed, nothing happens (m_action NONE).
     * \param now the current time
     * \return what to do, valid until the next call
     */
    const QuicRecoveryResult& OnLossDetectionTimeout(Time now);

    /**
     * \brief Keys of a space were discarded (RFC 9002 §6.4, App. A.11): its records are
     * dropped and removed from their paths' bytes in flight, pto_count is reset and the timer
     * re-armed. Later ACKs in that space are ignored and nothing more may be sent in it.
     * \param space the space
     * \param now the current time
     */
    void OnPacketNumberSpaceDiscarded(QuicPacketNumberSpace space, Time now);

    /**
     * \brief Whether the loss-detection timer is armed.
     * \return true if GetLossDetectionTimer() is meaningful
     */
    bool IsLossDetectionTimerArmed() const;

    /**
     * \brief The loss-detection deadline (App. A.8); may lie in the past (fire at once).
     * \return the deadline, or Time::Max() if not armed
     */
    Time GetLossDetectionTimer() const;

    /**
     * \brief pto_count: consecutive PTO expiries without an ACK resetting it (App. A.3).
     * \return the count
     */
    uint32_t GetPtoCount() const;

    /**
     * \brief PTO of a space with backoff as armed now: the PTO period of the path that sent
     * its last ack-eliciting packet (the active path if none), plus max_ack_delay in
     * Application Data, times 2^pto_count (RFC 9002 §6.2.1).
     * \param space the space
     * \return the period
     */
    Time GetPtoPeriod(QuicPacketNumberSpace space) const;

    /**
     * \brief Records tracked in a space: newest sent - oldest outstanding + 1 (tombstones
     * included), 0 when nothing is outstanding.
     * \param space the space
     * \return the count
     */
    size_t GetTrackedPacketCount(QuicPacketNumberSpace space) const;

    /**
     * \brief Ack-eliciting packets in flight in a space.
     * \param space the space
     * \return the count
     */
    uint64_t GetAckElicitingInFlight(QuicPacketNumberSpace space) const;

    /**
     * \brief Whether an ACK was processed in the space, and the largest acknowledged.
     * \param space the space
     * \param largest set to largest_acked_packet if there is one
     * \return false before the first valid ACK in the space
     */
    bool GetLargestAcked(QuicPacketNumberSpace space, uint64_t& largest) const;

  private:
    /// State of one ring slot.
    enum class SlotState : uint8_t
    {
        EMPTY,       ///< packet number skipped by the sender
        OUTSTANDING, ///< sent, neither acknowledged nor declared lost
        ACKED,       ///< acknowledged
        LOST,        ///< declared lost
    };

    /// One ring slot.
    struct Slot
    {
        QuicSentPacket m_packet; //!< the record
        SlotState m_state;       //!< its state
    };

    /// Number of recently skipped packet numbers remembered per space.
    static constexpr size_t SKIPPED_MEMORY = 8;
    /// Largest gap in packet numbers OnPacketSent() accepts in one step.
    static constexpr uint64_t MAX_PN_GAP = 1 << 16;

    /// Per packet number space state (App. A.3).
    struct Space
    {
        std::vector<Slot> m_slots;          //!< ring storage, power-of-two size
        size_t m_head{0};                   //!< ring index of m_basePn
        size_t m_count{0};                  //!< slots in use from m_basePn
        uint64_t m_basePn{0};               //!< packet number at m_head
        bool m_anySent{false};              //!< whether a packet was sent in the space
        uint64_t m_firstSentPn{0};          //!< first packet number sent
        uint64_t m_nextPn{0};               //!< largest sent + 1
        bool m_hasLargestAcked{false};      //!< largest_acked_packet != infinite
        uint64_t m_largestAcked{0};         //!< largest_acked_packet
        Time m_timeOfLastAckEliciting;      //!< time_of_last_ack_eliciting_packet
        uint32_t m_lastAckElicitingPath{0}; //!< path of that packet
        bool m_lossTimeSet{false};          //!< loss_time != 0
        Time m_lossTime;                    //!< loss_time
        uint64_t m_ackElicitingInFlight{0}; //!< ack-eliciting packets in flight
        bool m_discarded{false};            //!< keys discarded (App. A.11)
        std::array<uint64_t, SKIPPED_MEMORY> m_skipped{}; //!< recently skipped numbers
        size_t m_skippedCount{0}; //!< valid entries written to m_skipped (total)

        /**
         * \param pn a packet number in [m_basePn, m_basePn + m_count)
         * \return its slot
         */
        Slot& At(uint64_t pn)
        {
            return m_slots[(m_head + static_cast<size_t>(pn - m_basePn)) & (m_slots.size() - 1)];
        }
    };

    /// A registered path and the scratch values of one loss scan.
    struct PathEntry
    {
        uint32_t m_id{0};                   //!< path id
        QuicRttEstimator* m_rtt{nullptr};   //!< its estimator
        QuicCongestionState* m_cc{nullptr}; //!< its congestion state
        Ptr<QuicCongestionOps> m_ops;       //!< its controller
        Time m_lossDelay;                   //!< scan: time-threshold delay
        bool m_pcEligible{false};           //!< scan: an RTT sample exists
        Time m_pcFirstSample;               //!< scan: first_rtt_sample
        Time m_pcDuration;                  //!< scan: persistent congestion duration
        bool m_pcRunActive{false};          //!< scan: a run of lost packets is open
        Time m_pcRunStart;                  //!< scan: send time of the run's first packet
        bool m_pcDeclared{false};           //!< scan: persistent congestion established
    };

    /**
     * \param pathId a path id
     * \return its entry, or nullptr if not registered
     */
    PathEntry* FindPath(uint32_t pathId);
    /**
     * \param pathId a path id
     * \return its entry, or nullptr if not registered
     */
    const PathEntry* FindPath(uint32_t pathId) const;
    /**
     * \param pathId a path id
     * \return its estimator, or the active path's, or a default one
     */
    const QuicRttEstimator& EstimatorFor(uint32_t pathId) const;

    /**
     * \brief Append a slot for pn, growing the ring if needed.
     * \param s the space
     * \param pn the packet number (s.m_nextPn or above)
     * \param state the slot state
     * \return the slot
     */
    Slot& PushSlot(Space& s, uint64_t pn, SlotState state);
    /// \param s the space; pop finished slots from its front
    void PopFinished(Space& s);
    /**
     * \param s the space
     * \param pn a packet number
     * \return true if pn is one of the remembered skipped numbers
     */
    bool WasSkipped(const Space& s, uint64_t pn) const;
    /**
     * \brief Check ranges: order, and no packet never sent.
     * \param s the space
     * \param ranges the ranges
     * \param count their number
     * \return the status
     */
    QuicAckStatus ValidateRanges(const Space& s, const QuicAckRange* ranges, size_t count) const;
    /**
     * \brief DetectAndRemoveLostPackets (App. A.10) with the persistent-congestion runs.
     * \param space the space index
     * \param now the current time
     */
    void DetectLostPackets(QuicPacketNumberSpace space, Time now);
    /**
     * \brief Remove lost packets from bytes in flight, inform controllers, apply persistent
     * congestion (App. B.8).
     * \param now the current time
     */
    void ProcessLost(Time now);
    /**
     * \brief Remove acked packets from bytes in flight and inform controllers (App. B.5).
     * \param now the current time
     */
    void ProcessAcked(Time now);
    /**
     * \return PeerCompletedAddressValidation() of App. A.8
     */
    bool PeerCompletedAddressValidation() const;
    /**
     * \brief SetLossDetectionTimer (App. A.8).
     * \param now the current time
     */
    void SetLossDetectionTimer(Time now);
    /**
     * \brief GetPtoTimeAndSpace (App. A.8).
     * \param now the current time
     * \param space set to the space to probe
     * \param when set to the deadline
     * \return false if no PTO may be armed (infinite)
     */
    bool GetPtoTimeAndSpace(Time now, QuicPacketNumberSpace& space, Time& when) const;
    /**
     * \return the total of ack-eliciting packets in flight over the spaces
     */
    uint64_t TotalAckElicitingInFlight() const;
    /**
     * \param period a PTO period
     * \return period * 2^pto_count
     */
    Time Backoff(Time period) const;

    std::array<Space, QUIC_PN_SPACE_COUNT> m_spaces; //!< per-space state
    std::vector<PathEntry> m_paths;                  //!< registered paths
    mutable size_t m_pathCache;                      //!< index of the last path found
    uint32_t m_activePath;                           //!< path for the anti-deadlock PTO
    QuicRttEstimator m_defaultRtt;                   //!< estimator for unknown paths
    bool m_isServer;                                 //!< endpoint role
    bool m_handshakeConfirmed;                       //!< RFC 9001 §4.1.2
    bool m_handshakeAckReceived;                     //!< an ACK arrived in Handshake space
    bool m_hasHandshakeKeys;                         //!< for the anti-deadlock space
    bool m_amplificationBlocked;                     //!< RFC 9002 §6.2.2.1
    Time m_peerMaxAckDelay;                          //!< peer's max_ack_delay
    uint32_t m_ptoCount;                             //!< pto_count
    bool m_timerArmed;                               //!< loss_detection_timer set
    Time m_timerDeadline;                            //!< its deadline
    QuicRecoveryResult m_result;                     //!< reused result

    uint32_t m_packetThreshold;               //!< kPacketThreshold
    double m_timeThreshold;                   //!< kTimeThreshold
    uint32_t m_persistentCongestionThreshold; //!< kPersistentCongestionThreshold
    uint32_t m_probePackets;                  //!< probes per PTO (1 or 2)

    TracedCallback<QuicPacketNumberSpace, const QuicSentPacket&> m_packetLostTrace; //!< loss
    TracedCallback<uint32_t> m_persistentCongestionTrace;       //!< persistent congestion
    TracedCallback<uint32_t, Time, Time> m_rttSampleTrace;      //!< RTT samples
    TracedCallback<QuicPacketNumberSpace, uint32_t> m_ptoTrace; //!< PTO expiries
};

} // namespace ns3

#endif /* QUIC_LOSS_RECOVERY_H */
