/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_RTT_ESTIMATOR_H
#define QUIC_RTT_ESTIMATOR_H

#include "ns3/nstime.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup quic-migration
 * \brief Round-trip time estimator of one network path (RFC 9002 §5, App. A.7).
 *
 * Owns the four RTT variables of a path: latest_rtt, min_rtt, smoothed_rtt and rttvar, plus
 * the time of the first sample (first_rtt_sample, used by persistent congestion, §7.6.2).
 * It is a small value type (no heap, copyable) so that a path can embed it and a port-only
 * rebinding (RFC 9000 §9.4) can keep it by copy while an address change resets it.
 *
 * Implemented:
 * - initialisation and reset to kInitialRtt (§5.3, §6.2.2, App. A.4): smoothed_rtt =
 *   kInitialRtt, rttvar = kInitialRtt / 2, no min_rtt. kInitialRtt defaults to 333 ms and can
 *   be replaced, e.g. by the PATH_CHALLENGE/PATH_RESPONSE delay of a new path (§6.2.2, which
 *   is a seed, not a sample);
 * - the first sample after a reset sets smoothed_rtt = latest_rtt, rttvar = latest_rtt / 2,
 *   min_rtt = latest_rtt (§5.2, §5.3);
 * - later samples: min_rtt = min(min_rtt, latest_rtt); the ACK delay is capped at
 *   max_ack_delay once the handshake is confirmed and is not subtracted if that would take
 *   the sample below min_rtt; then the EWMA with gains 1/4 (rttvar) and 1/8 (smoothed_rtt).
 *   rttvar is updated with the previous smoothed_rtt, in the order of App. A.7 and RFC 6298
 *   §2.3 (the §5.3 text computes smoothed_rtt first; RFC errata ID 7539 corrects it);
 * - PTO period (§6.2.1) and persistent-congestion duration (§7.6.1) from the estimate;
 * - min_rtt re-established from the newest sample after persistent congestion (§5.2).
 *
 * Left out: deciding whether an ACK yields a sample (§5.1; QuicLossRecovery does that), the
 * optional "ignore samples below min_rtt before confirmation" rule (§5.3 MAY), and periodic
 * min_rtt refresh (§5.2 MAY). Arithmetic is exact integer arithmetic on ns-3 Time steps
 * (EWMA divisions truncate toward zero at the time resolution).
 */
class QuicRttEstimator
{
  public:
    /// kInitialRtt recommended by RFC 9002 §6.2.2 and App. A.2, in milliseconds.
    static constexpr int64_t DEFAULT_INITIAL_RTT_MS = 333;
    /// kGranularity recommended by RFC 9002 §6.1.2 and App. A.2, in milliseconds.
    static constexpr int64_t GRANULARITY_MS = 1;

    /**
     * \brief kGranularity as a Time (RFC 9002 §6.1.2).
     * \return 1 ms
     */
    static Time Granularity();

    /// Estimator initialised with kInitialRtt = 333 ms (RFC 9002 §6.2.2).
    QuicRttEstimator();

    /**
     * \brief Estimator initialised with the given kInitialRtt.
     * \param initialRtt the initial RTT (must be positive)
     */
    explicit QuicRttEstimator(Time initialRtt);

    /**
     * \brief Change kInitialRtt for later resets; the current estimate is not touched.
     * \param initialRtt the initial RTT (must be positive)
     */
    void SetInitialRtt(Time initialRtt);

    /**
     * \brief The kInitialRtt used by Reset().
     * \return the initial RTT
     */
    Time GetInitialRtt() const;

    /**
     * \brief Reset to initial values (RFC 9002 §5.3, App. A.4; RFC 9000 §9.4): smoothed_rtt =
     * kInitialRtt, rttvar = kInitialRtt / 2, latest_rtt = 0, no min_rtt, no sample.
     */
    void Reset();

    /**
     * \brief Reset with a new kInitialRtt, e.g. the PATH_CHALLENGE to PATH_RESPONSE delay of a
     * new path (RFC 9002 §6.2.2, requirement CC-08). The seed is not an RTT sample.
     * \param initialRtt the new initial RTT (must be positive)
     */
    void Reset(Time initialRtt);

    /**
     * \brief Feed one RTT sample (RFC 9002 §5.2, §5.3, App. A.7 UpdateRtt).
     * \param latestRtt ack time minus send time of the largest acknowledged packet
     * \param ackDelay the peer-reported ACK delay, already decoded
     * \param handshakeConfirmed whether the handshake is confirmed (caps ackDelay)
     * \param maxAckDelay the peer's max_ack_delay transport parameter
     * \param now the current time (recorded as first_rtt_sample on the first sample)
     */
    void UpdateRtt(Time latestRtt,
                   Time ackDelay,
                   bool handshakeConfirmed,
                   Time maxAckDelay,
                   Time now);

    /**
     * \brief After persistent congestion, min_rtt becomes the newest sample (RFC 9002 §5.2).
     */
    void OnPersistentCongestion();

    /**
     * \brief Whether at least one sample arrived since the last reset.
     * \return true if an RTT sample exists
     */
    bool HasSample() const;

    /**
     * \brief Time of the first sample since the last reset (first_rtt_sample, App. A.3).
     * \return the time, meaningful only if HasSample()
     */
    Time GetFirstSampleTime() const;

    /**
     * \brief latest_rtt (RFC 9002 §5.1).
     * \return the most recent sample, zero before the first one
     */
    Time GetLatestRtt() const;

    /**
     * \brief min_rtt (RFC 9002 §5.2).
     * \return the minimum sample, zero before the first one
     */
    Time GetMinRtt() const;

    /**
     * \brief smoothed_rtt (RFC 9002 §5.3).
     * \return the smoothed RTT
     */
    Time GetSmoothedRtt() const;

    /**
     * \brief rttvar (RFC 9002 §5.3).
     * \return the RTT variation
     */
    Time GetRttVar() const;

    /**
     * \brief The PTO period without backoff (RFC 9002 §6.2.1):
     * smoothed_rtt + max(4 * rttvar, kGranularity) + maxAckDelay.
     * \param maxAckDelay the peer's max_ack_delay; pass zero for the Initial and Handshake spaces
     * \return the PTO period
     */
    Time GetPto(Time maxAckDelay) const;

    /**
     * \brief The persistent-congestion duration (RFC 9002 §7.6.1):
     * (smoothed_rtt + max(4 * rttvar, kGranularity) + max_ack_delay) * threshold.
     * \param maxAckDelay the peer's max_ack_delay (always included, whatever the space)
     * \param threshold kPersistentCongestionThreshold (3 recommended)
     * \return the duration
     */
    Time GetPersistentCongestionDuration(Time maxAckDelay, uint32_t threshold) const;

    /**
     * \brief The time-threshold loss delay (RFC 9002 §6.1.2, App. A.10):
     * max(kTimeThreshold * max(smoothed_rtt, latest_rtt), kGranularity).
     * \param timeThreshold kTimeThreshold (9/8 recommended)
     * \return the loss delay
     */
    Time GetLossDelay(double timeThreshold) const;

  private:
    Time m_initialRtt;    //!< kInitialRtt used on reset
    Time m_latestRtt;     //!< latest_rtt
    Time m_minRtt;        //!< min_rtt (valid only if m_hasSample)
    Time m_smoothedRtt;   //!< smoothed_rtt
    Time m_rttVar;        //!< rttvar
    Time m_firstSampleAt; //!< first_rtt_sample (valid only if m_hasSample)
    bool m_hasSample;     //!< whether a sample arrived since the last reset
};

} // namespace ns3

#endif /* QUIC_RTT_ESTIMATOR_H */
