/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_NEW_RENO_H
#define QUIC_NEW_RENO_H

#include "quic-congestion-control.h"

namespace ns3
{

/**
 * \ingroup quic-migration
 * \brief The NewReno congestion controller of RFC 9002 §7 and App. B.
 *
 * Stateless strategy: all per-path variables live in the QuicCongestionState it is handed, so
 * one instance can serve every path of a connection (or of a node).
 *
 * Implemented, with the RFC's recommended values as Attribute defaults:
 * - kInitialWindow = min(InitialWindowPackets * mds, max(InitialWindowByteLimit, 2 * mds))
 *   (§7.2; 12000 B at mds 1200, 14520 B at 1452, 14720 B at 1472) and kMinimumWindow =
 *   MinimumWindowPackets * mds (2400 B at mds 1200);
 * - slow start: cwnd grows by the acknowledged bytes (§7.3.1, App. B.5);
 * - congestion avoidance: at most one max_datagram_size per congestion window acknowledged
 *   (§7.3.3), with the integer byte counting of RFC 3465 §2.1 that App. B.5 suggests: exactly
 *   +mds each time a full window's worth of bytes has been acknowledged;
 * - recovery (§7.3.2, App. B.6): on a loss of a packet sent after the current recovery period
 *   started, ssthresh = cwnd * LossReductionFactor and cwnd = max(ssthresh, kMinimumWindow),
 *   immediately; losses and ACKs of packets sent before congestion_recovery_start_time change
 *   nothing, so the window is reduced at most once per round trip;
 * - no increase while application limited (state.m_appLimited, §7.8) or for packets sent
 *   before the recovery period started;
 * - persistent congestion (§7.6.2, App. B.8): cwnd = kMinimumWindow and the recovery period
 *   is cleared, so the path restarts in slow start below ssthresh.
 *
 * Left out: Proportional Rate Reduction (§7.3.2 MAY) and ECN validation; see
 * QuicCongestionOps for what the base class leaves out.
 */
class QuicNewReno : public QuicCongestionOps
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /// Constructor with the RFC 9002 recommended values.
    QuicNewReno();
    /// Destructor.
    ~QuicNewReno() override;

    // Inherited from QuicCongestionOps (see there).

    std::string GetName() const override;
    uint64_t GetInitialWindow(uint32_t maxDatagramSize) const override;
    uint64_t GetMinimumWindow(uint32_t maxDatagramSize) const override;
    void OnPacketsAcked(QuicCongestionState& state,
                        const QuicRttEstimator& rtt,
                        const QuicSentPacket* packets,
                        size_t count,
                        Time now) override;
    void OnCongestionEvent(QuicCongestionState& state, Time sentTime, Time now) override;
    void OnPersistentCongestion(QuicCongestionState& state, Time now) override;

  private:
    uint32_t m_initialWindowPackets;   //!< 10 in kInitialWindow (RFC 9002 §7.2)
    uint32_t m_initialWindowByteLimit; //!< 14720 in kInitialWindow (RFC 9002 §7.2)
    uint32_t m_minimumWindowPackets;   //!< 2 in kMinimumWindow (RFC 9002 §7.2)
    double m_lossReductionFactor;      //!< kLossReductionFactor (RFC 9002 App. B.1)
};

} // namespace ns3

#endif /* QUIC_NEW_RENO_H */
