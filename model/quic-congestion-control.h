/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_CONGESTION_CONTROL_H
#define QUIC_CONGESTION_CONTROL_H

#include "quic-rtt-estimator.h"

#include "ns3/nstime.h"
#include "ns3/object.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

namespace ns3
{

/**
 * \ingroup quic-migration
 * \brief What loss recovery and congestion control know about one sent packet (RFC 9002
 * App. A.1.1), plus the path it left on and an opaque handle to its frames.
 *
 * A plain 32-byte record copied by value: QuicLossRecovery stores these in a ring indexed by
 * packet number and hands arrays of them to QuicCongestionOps hooks.
 */
struct QuicSentPacket
{
    /// Value of m_frames meaning "nothing to retransmit" (e.g. an ACK-only packet).
    static constexpr uint32_t NO_FRAMES = std::numeric_limits<uint32_t>::max();

    uint64_t m_packetNumber{0};   //!< packet_number, within its packet number space
    Time m_timeSent;              //!< time_sent
    uint32_t m_sentBytes{0};      //!< sent_bytes: QUIC packet size, no UDP/IP overhead
    uint32_t m_pathId{0};         //!< the path the packet was sent on (RFC 9000 §9.4)
    uint32_t m_frames{NO_FRAMES}; //!< opaque handle the connection maps to its frames
    bool m_ackEliciting{false};   //!< ack_eliciting
    bool m_inFlight{false};       //!< in_flight: ack-eliciting or PADDING (counts in cwnd)
};

/**
 * \ingroup quic-migration
 * \brief Congestion-control state of one path (RFC 9002 §7, App. B.2), handed to a
 * QuicCongestionOps on every call, like ns-3's TcpSocketState.
 *
 * One instance per path (RFC 9000 §9.4, RFC 9002 §7: the controller is per path). The strategy
 * object holds no per-path data, so one QuicCongestionOps may serve several states.
 * m_bytesInFlight is maintained by QuicLossRecovery (App. A.5, B.4 to B.9); the hooks see it
 * already updated. Windows and sizes are in bytes.
 */
struct QuicCongestionState
{
    /// Slow start threshold meaning "infinite" (App. B.3).
    static constexpr uint64_t INFINITE_SSTHRESH = std::numeric_limits<uint64_t>::max();

    uint32_t m_maxDatagramSize{1200};       //!< max_datagram_size, >= 1200 (RFC 9000 §14)
    uint64_t m_congestionWindow{12000};     //!< congestion_window
    uint64_t m_ssThresh{INFINITE_SSTHRESH}; //!< ssthresh
    uint64_t m_bytesInFlight{0};            //!< bytes_in_flight
    Time m_recoveryStartTime;               //!< congestion_recovery_start_time
    bool m_inRecoveryEpoch{false};          //!< whether m_recoveryStartTime is set
    uint64_t m_bytesAckedInAvoidance{0};    //!< RFC 3465 §2.1 byte counter for avoidance
    bool m_appLimited{false};               //!< set by the sender: cwnd under-used (§7.8)
    double m_pacingTokens{0};               //!< pacer bucket content in bytes (§7.7)
    Time m_pacingLastRefill;                //!< when m_pacingTokens was last refilled
    uint32_t m_congestionEvents{0};         //!< recovery periods entered (statistics)
    uint32_t m_persistentCongestions{0};    //!< persistent congestion events (statistics)

    /**
     * \brief InCongestionRecovery(sent_time) of RFC 9002 App. B.5.
     * \param sentTime the send time of a packet
     * \return true if the packet was sent before the current recovery period started
     */
    bool InCongestionRecovery(Time sentTime) const
    {
        return m_inRecoveryEpoch && sentTime <= m_recoveryStartTime;
    }

    /**
     * \brief Slow start: cwnd below ssthresh (RFC 9002 §7.3.1).
     * \return true in slow start
     */
    bool InSlowStart() const
    {
        return m_congestionWindow < m_ssThresh;
    }

    /**
     * \brief Bytes that may still be sent before bytes_in_flight reaches cwnd (RFC 9002 §7).
     * \return cwnd - bytes_in_flight, or 0 if the window is full
     */
    uint64_t GetAvailableWindow() const
    {
        return m_bytesInFlight < m_congestionWindow ? m_congestionWindow - m_bytesInFlight : 0;
    }
};

/**
 * \ingroup quic-migration
 * \brief Congestion-control strategy (RFC 9002 §7) handed a per-path QuicCongestionState on
 * every call, after the pattern of ns-3's TcpCongestionOps.
 *
 * Subclasses implement the window reactions (QuicNewReno: App. B). This base class owns the
 * pacer of RFC 9002 §7.7, a token bucket whose state lives in QuicCongestionState: it fills at
 * rate = N * congestion_window / smoothed_rtt (N = Attribute "PacingGain", 1.25 by default),
 * holds at most the initial window (the burst limit §7.7 recommends) and each in-flight packet
 * sent takes its size out. GetPacingDelay() tells the sender when the next packet may leave.
 * ACK-only packets (not in flight) are not paced (§7.7).
 *
 * The hooks are called by QuicLossRecovery, always for the path a packet was sent on
 * (RFC 9000 §9.4, requirement CC-01). They never read the simulator clock: "now" is a
 * parameter. m_bytesInFlight is updated by the caller before the hooks run.
 *
 * Left out: ECN processing (a caller may report an ECN-CE increase through
 * OnCongestionEvent(), App. B.7), recalculating the window when max_datagram_size changes
 * (§7.2), and the "send one packet on entering recovery" option of App. B.6, which is the
 * sender's decision.
 */
class QuicCongestionOps : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /// Constructor: pacing enabled with gain 1.25.
    QuicCongestionOps();
    /// Destructor.
    ~QuicCongestionOps() override;

    /**
     * \brief Name of the algorithm, for logs and qlog.
     * \return e.g. "NewReno"
     */
    virtual std::string GetName() const = 0;

    /**
     * \brief kInitialWindow for a datagram size (RFC 9002 §7.2).
     * \param maxDatagramSize max_datagram_size in bytes
     * \return the initial congestion window in bytes
     */
    virtual uint64_t GetInitialWindow(uint32_t maxDatagramSize) const = 0;

    /**
     * \brief kMinimumWindow for a datagram size (RFC 9002 §7.2).
     * \param maxDatagramSize max_datagram_size in bytes
     * \return the minimum congestion window in bytes
     */
    virtual uint64_t GetMinimumWindow(uint32_t maxDatagramSize) const = 0;

    /**
     * \brief Reset the window state to initial values (RFC 9002 App. B.3): new connection,
     * new path after migration (RFC 9000 §9.4, CC-02) or Retry. Keeps m_maxDatagramSize and
     * m_bytesInFlight (the latter belongs to the packets still outstanding on the path), and
     * fills the pacer bucket.
     * \param state the path state
     */
    virtual void Reset(QuicCongestionState& state) const;

    /**
     * \brief A packet was sent on this path (RFC 9002 App. B.4). The base class takes an
     * in-flight packet's size out of the pacer bucket; overrides should call it.
     * \param state the path state (m_bytesInFlight already includes the packet)
     * \param rtt the path's RTT estimator
     * \param packet the packet
     */
    virtual void OnPacketSent(QuicCongestionState& state,
                              const QuicRttEstimator& rtt,
                              const QuicSentPacket& packet);

    /**
     * \brief Packets sent on this path were newly acknowledged by one ACK frame
     * (RFC 9002 App. B.5 OnPacketsAcked).
     * \param state the path state (m_bytesInFlight already reduced)
     * \param rtt the path's RTT estimator (already updated with this ACK's sample)
     * \param packets the acknowledged packets
     * \param count their number
     * \param now the current time
     */
    virtual void OnPacketsAcked(QuicCongestionState& state,
                                const QuicRttEstimator& rtt,
                                const QuicSentPacket* packets,
                                size_t count,
                                Time now) = 0;

    /**
     * \brief Packets sent on this path were declared lost (RFC 9002 App. B.8 OnPacketsLost,
     * without the persistent-congestion part, which QuicLossRecovery evaluates and reports
     * through OnPersistentCongestion()). The base class calls OnCongestionEvent() with the
     * latest send time among the in-flight lost packets, if any.
     * \param state the path state (m_bytesInFlight already reduced)
     * \param rtt the path's RTT estimator
     * \param packets the lost packets
     * \param count their number
     * \param now the current time
     */
    virtual void OnPacketsLost(QuicCongestionState& state,
                               const QuicRttEstimator& rtt,
                               const QuicSentPacket* packets,
                               size_t count,
                               Time now);

    /**
     * \brief A congestion signal (loss or ECN-CE increase) for a packet sent at sentTime
     * (RFC 9002 App. B.6 OnCongestionEvent): enters a recovery period unless one started
     * after the packet was sent.
     * \param state the path state
     * \param sentTime send time of the newest packet concerned
     * \param now the current time (start of the recovery period)
     */
    virtual void OnCongestionEvent(QuicCongestionState& state, Time sentTime, Time now) = 0;

    /**
     * \brief Persistent congestion was established on this path (RFC 9002 §7.6.2, App. B.8).
     * \param state the path state
     * \param now the current time
     */
    virtual void OnPersistentCongestion(QuicCongestionState& state, Time now) = 0;

    /**
     * \brief Time until the pacer lets a packet of the given size leave (RFC 9002 §7.7).
     * \param state the path state
     * \param rtt the path's RTT estimator (smoothed_rtt sets the rate)
     * \param bytes size of the next packet
     * \param now the current time
     * \return zero if the packet may be sent now (or pacing is disabled), else the wait
     */
    Time GetPacingDelay(const QuicCongestionState& state,
                        const QuicRttEstimator& rtt,
                        uint32_t bytes,
                        Time now) const;

    /**
     * \brief The pacing rate N * congestion_window / smoothed_rtt (RFC 9002 §7.7).
     * \param state the path state
     * \param rtt the path's RTT estimator
     * \return the rate in bytes per second (0 if smoothed_rtt is zero)
     */
    double GetPacingRate(const QuicCongestionState& state, const QuicRttEstimator& rtt) const;

    /**
     * \brief The pacer's burst limit: the initial window (RFC 9002 §7.7).
     * \param state the path state
     * \return the bucket capacity in bytes
     */
    uint64_t GetPacingBurst(const QuicCongestionState& state) const;

  protected:
    /**
     * \brief Bucket content after refilling up to now, without storing it.
     * \param state the path state
     * \param rtt the path's RTT estimator
     * \param now the current time
     * \return the tokens in bytes
     */
    double PacingTokensAt(const QuicCongestionState& state,
                          const QuicRttEstimator& rtt,
                          Time now) const;

  private:
    bool m_pacingEnabled; //!< whether GetPacingDelay() ever asks to wait
    double m_pacingGain;  //!< N in rate = N * cwnd / smoothed_rtt
};

} // namespace ns3

#endif /* QUIC_CONGESTION_CONTROL_H */
