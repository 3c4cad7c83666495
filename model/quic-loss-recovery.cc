/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-loss-recovery.h"

#include "ns3/abort.h"
#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace
{

/// Initial ring capacity of a space (slots, a power of two); grows by doubling. Small: an idle
/// connection keeps three spaces, and Initial and Handshake carry only a few packets.
constexpr size_t INITIAL_RING_SLOTS = 8;
/// Largest exponent applied by the PTO backoff (keeps Time arithmetic far from overflow).
constexpr uint32_t MAX_BACKOFF_EXPONENT = 24;
/// max_ack_delay default (RFC 9000 §18.2), in milliseconds.
constexpr int64_t DEFAULT_MAX_ACK_DELAY_MS = 25;

/// \param space a packet number space \return its array index
inline size_t
Idx(ns3::QuicPacketNumberSpace space)
{
    return static_cast<size_t>(space);
}

} // namespace

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicLossRecovery");

NS_OBJECT_ENSURE_REGISTERED(QuicLossRecovery);

void
QuicRecoveryResult::Clear()
{
    m_status = QuicAckStatus::OK;
    m_action = QuicLossTimerAction::NONE;
    m_space = QuicPacketNumberSpace::INITIAL;
    m_probePackets = 0;
    m_acked.clear();
    m_lost.clear();
    m_rttSampled = false;
    m_rttPathId = 0;
    m_latestRtt = Time(0);
    m_persistentCongestion.clear();
}

TypeId
QuicLossRecovery::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::QuicLossRecovery")
            .SetParent<Object>()
            .SetGroupName("QuicMigration")
            .AddConstructor<QuicLossRecovery>()
            .AddAttribute("PacketThreshold",
                          "kPacketThreshold: a packet is lost once a packet sent this many "
                          "packet numbers later is acknowledged (RFC 9002 §6.1.1: 3; SHOULD "
                          "NOT be below 3).",
                          UintegerValue(3),
                          MakeUintegerAccessor(&QuicLossRecovery::m_packetThreshold),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("TimeThreshold",
                          "kTimeThreshold: a packet is lost once sent more than this times "
                          "max(smoothed_rtt, latest_rtt) (at least kGranularity) before a later "
                          "acknowledged one (RFC 9002 §6.1.2: 9/8).",
                          DoubleValue(9.0 / 8.0),
                          MakeDoubleAccessor(&QuicLossRecovery::m_timeThreshold),
                          MakeDoubleChecker<double>(1.0))
            .AddAttribute("PersistentCongestionThreshold",
                          "kPersistentCongestionThreshold: multiple of the PTO-like period that "
                          "lost packets must span (RFC 9002 §7.6.1: 3).",
                          UintegerValue(3),
                          MakeUintegerAccessor(&QuicLossRecovery::m_persistentCongestionThreshold),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("ProbePackets",
                          "Ack-eliciting datagrams asked for on each PTO expiry (RFC 9002 "
                          "§6.2.4: at least one, MAY send two).",
                          UintegerValue(2),
                          MakeUintegerAccessor(&QuicLossRecovery::m_probePackets),
                          MakeUintegerChecker<uint32_t>(1, 2))
            .AddTraceSource("PacketLost",
                            "A packet was declared lost (RFC 9002 §6.1).",
                            MakeTraceSourceAccessor(&QuicLossRecovery::m_packetLostTrace),
                            "ns3::QuicLossRecovery::PacketLostCallback")
            .AddTraceSource("PersistentCongestion",
                            "Persistent congestion was established on a path (RFC 9002 §7.6).",
                            MakeTraceSourceAccessor(&QuicLossRecovery::m_persistentCongestionTrace),
                            "ns3::QuicLossRecovery::PersistentCongestionCallback")
            .AddTraceSource("RttSample",
                            "An ACK produced an RTT sample for a path (RFC 9002 §5.1).",
                            MakeTraceSourceAccessor(&QuicLossRecovery::m_rttSampleTrace),
                            "ns3::QuicLossRecovery::RttSampleCallback")
            .AddTraceSource("ProbeTimeout",
                            "The PTO expired (RFC 9002 §6.2).",
                            MakeTraceSourceAccessor(&QuicLossRecovery::m_ptoTrace),
                            "ns3::QuicLossRecovery::ProbeTimeoutCallback");
    return tid;
}

QuicLossRecovery::QuicLossRecovery()
    : m_pathCache(0),
      m_activePath(0),
      m_isServer(false),
      m_handshakeConfirmed(false),
      m_handshakeAckReceived(false),
      m_hasHandshakeKeys(false),
      m_amplificationBlocked(false),
      m_peerMaxAckDelay(MilliSeconds(DEFAULT_MAX_ACK_DELAY_MS)),
      m_ptoCount(0),
      m_timerArmed(false),
      m_timerDeadline(Time::Max()),
      m_packetThreshold(3),
      m_timeThreshold(9.0 / 8.0),
      m_persistentCongestionThreshold(3),
      m_probePackets(2)
{
    NS_LOG_FUNCTION(this);
    // The rings are allocated by the first packet sent in their space (an idle connection
    // never needs the Initial and Handshake ones again once they are discarded).
}

QuicLossRecovery::~QuicLossRecovery()
{
    NS_LOG_FUNCTION(this);
}

// ---------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------

void
QuicLossRecovery::AddPath(uint32_t pathId,
                          QuicRttEstimator* rtt,
                          QuicCongestionState* cc,
                          Ptr<QuicCongestionOps> ops)
{
    NS_LOG_FUNCTION(this << pathId);
    NS_ABORT_MSG_IF(rtt == nullptr || cc == nullptr || !ops, "AddPath needs rtt, cc and ops");
    PathEntry* existing = FindPath(pathId);
    if (existing != nullptr)
    {
        existing->m_rtt = rtt;
        existing->m_cc = cc;
        existing->m_ops = ops;
        return;
    }
    PathEntry e;
    e.m_id = pathId;
    e.m_rtt = rtt;
    e.m_cc = cc;
    e.m_ops = ops;
    m_paths.push_back(e);
}

void
QuicLossRecovery::RemovePath(uint32_t pathId)
{
    NS_LOG_FUNCTION(this << pathId);
    for (size_t i = 0; i < m_paths.size(); ++i)
    {
        if (m_paths[i].m_id == pathId)
        {
            m_paths.erase(m_paths.begin() + static_cast<std::ptrdiff_t>(i));
            m_pathCache = 0;
            return;
        }
    }
}

bool
QuicLossRecovery::HasPath(uint32_t pathId) const
{
    return FindPath(pathId) != nullptr;
}

void
QuicLossRecovery::SetActivePath(uint32_t pathId)
{
    m_activePath = pathId;
}

void
QuicLossRecovery::SetIsServer(bool isServer)
{
    m_isServer = isServer;
}

void
QuicLossRecovery::SetPeerMaxAckDelay(Time maxAckDelay)
{
    m_peerMaxAckDelay = maxAckDelay;
}

Time
QuicLossRecovery::GetPeerMaxAckDelay() const
{
    return m_peerMaxAckDelay;
}

void
QuicLossRecovery::OnHandshakeConfirmed(Time now)
{
    NS_LOG_FUNCTION(this << now);
    m_handshakeConfirmed = true;
    SetLossDetectionTimer(now);
}

bool
QuicLossRecovery::IsHandshakeConfirmed() const
{
    return m_handshakeConfirmed;
}

void
QuicLossRecovery::SetHasHandshakeKeys(bool hasKeys)
{
    m_hasHandshakeKeys = hasKeys;
}

void
QuicLossRecovery::SetAmplificationBlocked(bool blocked, Time now)
{
    NS_LOG_FUNCTION(this << blocked << now);
    if (blocked == m_amplificationBlocked)
    {
        return; // SendPending() calls this for every datagram; the timer only moves on a change
    }
    m_amplificationBlocked = blocked;
    SetLossDetectionTimer(now);
}

// ---------------------------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------------------------

QuicLossRecovery::PathEntry*
QuicLossRecovery::FindPath(uint32_t pathId)
{
    return const_cast<PathEntry*>(static_cast<const QuicLossRecovery*>(this)->FindPath(pathId));
}

const QuicLossRecovery::PathEntry*
QuicLossRecovery::FindPath(uint32_t pathId) const
{
    if (m_pathCache < m_paths.size() && m_paths[m_pathCache].m_id == pathId)
    {
        return &m_paths[m_pathCache];
    }
    for (size_t i = 0; i < m_paths.size(); ++i)
    {
        if (m_paths[i].m_id == pathId)
        {
            m_pathCache = i;
            return &m_paths[i];
        }
    }
    return nullptr;
}

const QuicRttEstimator&
QuicLossRecovery::EstimatorFor(uint32_t pathId) const
{
    const PathEntry* e = FindPath(pathId);
    if (e == nullptr)
    {
        e = FindPath(m_activePath);
    }
    return e != nullptr ? *e->m_rtt : m_defaultRtt;
}

// ---------------------------------------------------------------------------------------------
// Ring of sent packets
// ---------------------------------------------------------------------------------------------

QuicLossRecovery::Slot&
QuicLossRecovery::PushSlot(Space& s, uint64_t pn, SlotState state)
{
    if (s.m_count == 0)
    {
        s.m_basePn = pn;
    }
    NS_ASSERT(pn == s.m_basePn + s.m_count);
    if (s.m_count == s.m_slots.size())
    {
        // Grow by doubling (from INITIAL_RING_SLOTS), unrolling the ring into the new storage.
        std::vector<Slot> bigger(s.m_slots.empty() ? INITIAL_RING_SLOTS : s.m_slots.size() * 2);
        for (size_t i = 0; i < s.m_count; ++i)
        {
            bigger[i] = s.m_slots[(s.m_head + i) & (s.m_slots.size() - 1)];
        }
        s.m_slots.swap(bigger);
        s.m_head = 0;
    }
    ++s.m_count;
    Slot& slot = s.At(pn);
    slot.m_state = state;
    return slot;
}

void
QuicLossRecovery::PopFinished(Space& s)
{
    while (s.m_count > 0 && s.m_slots[s.m_head].m_state != SlotState::OUTSTANDING)
    {
        s.m_head = (s.m_head + 1) & (s.m_slots.size() - 1);
        ++s.m_basePn;
        --s.m_count;
    }
    if (s.m_count == 0)
    {
        s.m_basePn = s.m_nextPn;
    }
}

bool
QuicLossRecovery::WasSkipped(const Space& s, uint64_t pn) const
{
    size_t n = std::min(s.m_skippedCount, SKIPPED_MEMORY);
    for (size_t i = 0; i < n; ++i)
    {
        if (s.m_skipped[i] == pn)
        {
            return true;
        }
    }
    return false;
}

// ---------------------------------------------------------------------------------------------
// Sending
// ---------------------------------------------------------------------------------------------

void
QuicLossRecovery::OnPacketSent(QuicPacketNumberSpace space, const QuicSentPacket& packet)
{
    NS_LOG_FUNCTION(this << static_cast<int>(space) << packet.m_packetNumber << packet.m_sentBytes
                         << packet.m_pathId);
    Space& s = m_spaces[Idx(space)];
    NS_ABORT_MSG_IF(s.m_discarded, "packet sent in a discarded packet number space");
    NS_ABORT_MSG_IF(s.m_anySent && packet.m_packetNumber < s.m_nextPn,
                    "packet numbers must increase within a space");
    if (!s.m_anySent)
    {
        s.m_anySent = true;
        s.m_firstSentPn = packet.m_packetNumber;
        s.m_nextPn = packet.m_packetNumber;
        s.m_basePn = packet.m_packetNumber;
    }
    NS_ABORT_MSG_IF(packet.m_packetNumber - s.m_nextPn > MAX_PN_GAP, "packet number gap too big");
    // Skipped packet numbers (RFC 9000 §21.4) are remembered so that an ACK of one is caught.
    for (uint64_t pn = s.m_nextPn; pn < packet.m_packetNumber; ++pn)
    {
        s.m_skipped[s.m_skippedCount % SKIPPED_MEMORY] = pn;
        ++s.m_skippedCount;
        if (s.m_count > 0)
        {
            PushSlot(s, pn, SlotState::EMPTY);
        }
    }
    s.m_nextPn = packet.m_packetNumber + 1;
    if (s.m_count == 0)
    {
        s.m_basePn = packet.m_packetNumber;
    }
    Slot& slot = PushSlot(s, packet.m_packetNumber, SlotState::OUTSTANDING);
    slot.m_packet = packet;

    if (!packet.m_inFlight)
    {
        return;
    }
    if (packet.m_ackEliciting)
    {
        s.m_timeOfLastAckEliciting = packet.m_timeSent;
        s.m_lastAckElicitingPath = packet.m_pathId;
        ++s.m_ackElicitingInFlight;
    }
    PathEntry* path = FindPath(packet.m_pathId);
    if (path != nullptr)
    {
        path->m_cc->m_bytesInFlight += packet.m_sentBytes;
        path->m_ops->OnPacketSent(*path->m_cc, *path->m_rtt, packet);
    }
    SetLossDetectionTimer(packet.m_timeSent);
}

// ---------------------------------------------------------------------------------------------
// Acknowledgments
// ---------------------------------------------------------------------------------------------

QuicAckStatus
QuicLossRecovery::ValidateRanges(const Space& s, const QuicAckRange* ranges, size_t count) const
{
    if (count == 0 || ranges == nullptr)
    {
        return QuicAckStatus::INVALID_RANGES;
    }
    for (size_t i = 0; i < count; ++i)
    {
        if (ranges[i].m_smallest > ranges[i].m_largest)
        {
            return QuicAckStatus::INVALID_RANGES;
        }
        if (i > 0 && ranges[i].m_largest >= ranges[i - 1].m_smallest)
        {
            return QuicAckStatus::INVALID_RANGES;
        }
    }
    // Every acknowledged number lies in [first sent, largest sent] (RFC 9000 §13.1).
    if (!s.m_anySent || ranges[0].m_largest >= s.m_nextPn ||
        ranges[count - 1].m_smallest < s.m_firstSentPn)
    {
        return QuicAckStatus::UNSENT_PACKET;
    }
    size_t remembered = std::min(s.m_skippedCount, SKIPPED_MEMORY);
    for (size_t k = 0; k < remembered; ++k)
    {
        uint64_t pn = s.m_skipped[k];
        for (size_t i = 0; i < count; ++i)
        {
            if (pn >= ranges[i].m_smallest && pn <= ranges[i].m_largest)
            {
                return QuicAckStatus::UNSENT_PACKET;
            }
        }
    }
    return QuicAckStatus::OK;
}

const QuicRecoveryResult&
QuicLossRecovery::OnAckReceived(QuicPacketNumberSpace space,
                                const std::vector<QuicAckRange>& ranges,
                                Time ackDelay,
                                Time now)
{
    return OnAckReceived(space, ranges.data(), ranges.size(), ackDelay, now);
}

const QuicRecoveryResult&
QuicLossRecovery::OnAckReceived(QuicPacketNumberSpace space,
                                const QuicAckRange* ranges,
                                size_t count,
                                Time ackDelay,
                                Time now)
{
    NS_LOG_FUNCTION(this << static_cast<int>(space) << count << ackDelay << now);
    m_result.Clear();
    m_result.m_space = space;
    Space& s = m_spaces[Idx(space)];
    if (s.m_discarded)
    {
        return m_result; // keys gone: nothing to match (App. A.11)
    }
    m_result.m_status = ValidateRanges(s, ranges, count);
    if (m_result.m_status != QuicAckStatus::OK)
    {
        NS_LOG_LOGIC("invalid ACK: status " << static_cast<int>(m_result.m_status));
        return m_result;
    }
    if (space == QuicPacketNumberSpace::HANDSHAKE)
    {
        m_handshakeAckReceived = true;
    }
    uint64_t largest = ranges[0].m_largest;
    if (!s.m_hasLargestAcked || largest > s.m_largestAcked)
    {
        s.m_largestAcked = largest;
        s.m_hasLargestAcked = true;
    }

    // DetectAndRemoveAckedPackets: only the tracked window [base, next) can hold news.
    bool ackElicitingAcked = false;
    if (s.m_count > 0)
    {
        uint64_t lowTracked = s.m_basePn;
        uint64_t highTracked = s.m_basePn + s.m_count - 1;
        for (size_t i = 0; i < count; ++i)
        {
            if (ranges[i].m_largest < lowTracked)
            {
                break; // this and all later ranges are older than anything outstanding
            }
            uint64_t hi = std::min(ranges[i].m_largest, highTracked);
            uint64_t lo = std::max(ranges[i].m_smallest, lowTracked);
            for (uint64_t pn = hi + 1; pn-- > lo;)
            {
                Slot& slot = s.At(pn);
                if (slot.m_state != SlotState::OUTSTANDING)
                {
                    continue;
                }
                slot.m_state = SlotState::ACKED;
                const QuicSentPacket& p = slot.m_packet;
                if (p.m_ackEliciting)
                {
                    ackElicitingAcked = true;
                    if (p.m_inFlight)
                    {
                        --s.m_ackElicitingInFlight;
                    }
                }
                m_result.m_acked.push_back(p);
            }
        }
    }
    if (m_result.m_acked.empty())
    {
        return m_result; // duplicate or old ACK: nothing else to do (App. A.7)
    }

    // RTT sample (§5.1), for the path the largest acknowledged packet was sent on.
    const QuicSentPacket& newest = m_result.m_acked.front();
    if (newest.m_packetNumber == largest && ackElicitingAcked)
    {
        m_result.m_rttSampled = true;
        m_result.m_rttPathId = newest.m_pathId;
        m_result.m_latestRtt = now - newest.m_timeSent;
        PathEntry* path = FindPath(newest.m_pathId);
        if (path != nullptr)
        {
            Time delay = space == QuicPacketNumberSpace::INITIAL ? Time(0) : ackDelay;
            path->m_rtt->UpdateRtt(m_result.m_latestRtt,
                                   delay,
                                   m_handshakeConfirmed,
                                   m_peerMaxAckDelay,
                                   now);
            m_rttSampleTrace(newest.m_pathId, m_result.m_latestRtt, path->m_rtt->GetSmoothedRtt());
        }
    }

    DetectLostPackets(space, now);
    ProcessLost(now);
    ProcessAcked(now);
    PopFinished(s);

    if (PeerCompletedAddressValidation())
    {
        m_ptoCount = 0;
    }
    SetLossDetectionTimer(now);
    return m_result;
}

void
QuicLossRecovery::ProcessAcked(Time now)
{
    const std::vector<QuicSentPacket>& acked = m_result.m_acked;
    size_t i = 0;
    while (i < acked.size())
    {
        uint32_t pathId = acked[i].m_pathId;
        size_t j = i;
        uint64_t bytes = 0;
        while (j < acked.size() && acked[j].m_pathId == pathId)
        {
            if (acked[j].m_inFlight)
            {
                bytes += acked[j].m_sentBytes;
            }
            ++j;
        }
        PathEntry* path = FindPath(pathId);
        if (path != nullptr)
        {
            QuicCongestionState& cc = *path->m_cc;
            cc.m_bytesInFlight -= std::min(cc.m_bytesInFlight, bytes);
            path->m_ops->OnPacketsAcked(cc, *path->m_rtt, &acked[i], j - i, now);
        }
        i = j;
    }
}

// ---------------------------------------------------------------------------------------------
// Loss detection
// ---------------------------------------------------------------------------------------------

void
QuicLossRecovery::DetectLostPackets(QuicPacketNumberSpace space, Time now)
{
    Space& s = m_spaces[Idx(space)];
    s.m_lossTimeSet = false;
    if (!s.m_hasLargestAcked || s.m_count == 0 || s.m_largestAcked < s.m_basePn)
    {
        return;
    }
    // Per-path scan values: loss delay and persistent-congestion parameters.
    for (PathEntry& e : m_paths)
    {
        const QuicRttEstimator& rtt = *e.m_rtt;
        e.m_lossDelay = rtt.GetLossDelay(m_timeThreshold);
        e.m_pcEligible = rtt.HasSample();
        e.m_pcFirstSample = rtt.GetFirstSampleTime();
        e.m_pcDuration =
            rtt.GetPersistentCongestionDuration(m_peerMaxAckDelay, m_persistentCongestionThreshold);
        e.m_pcRunActive = false;
        e.m_pcDeclared = false;
    }
    Time defaultLossDelay = EstimatorFor(m_activePath).GetLossDelay(m_timeThreshold);

    uint64_t last = std::min(s.m_largestAcked, s.m_basePn + s.m_count - 1);
    for (uint64_t pn = s.m_basePn; pn <= last; ++pn)
    {
        Slot& slot = s.At(pn);
        if (slot.m_state == SlotState::EMPTY || slot.m_state == SlotState::LOST)
        {
            continue;
        }
        const QuicSentPacket& p = slot.m_packet;
        PathEntry* path = FindPath(p.m_pathId);
        if (slot.m_state == SlotState::ACKED)
        {
            if (path != nullptr)
            {
                path->m_pcRunActive = false; // an acknowledgment ends a run (§7.6.2)
            }
            continue;
        }
        Time lossDelay = path != nullptr ? path->m_lossDelay : defaultLossDelay;
        if (p.m_timeSent <= now - lossDelay || s.m_largestAcked >= pn + m_packetThreshold)
        {
            slot.m_state = SlotState::LOST;
            if (p.m_ackEliciting && p.m_inFlight)
            {
                --s.m_ackElicitingInFlight;
            }
            m_result.m_lost.push_back(p);
            m_packetLostTrace(space, p);
            if (path != nullptr && p.m_ackEliciting && path->m_pcEligible &&
                p.m_timeSent > path->m_pcFirstSample)
            {
                if (!path->m_pcRunActive)
                {
                    path->m_pcRunActive = true;
                    path->m_pcRunStart = p.m_timeSent;
                }
                else if (p.m_timeSent - path->m_pcRunStart > path->m_pcDuration)
                {
                    path->m_pcDeclared = true;
                }
            }
        }
        else
        {
            Time when = p.m_timeSent + lossDelay;
            if (!s.m_lossTimeSet || when < s.m_lossTime)
            {
                s.m_lossTime = when;
                s.m_lossTimeSet = true;
            }
        }
    }
}

void
QuicLossRecovery::ProcessLost(Time now)
{
    const std::vector<QuicSentPacket>& lost = m_result.m_lost;
    size_t i = 0;
    while (i < lost.size())
    {
        uint32_t pathId = lost[i].m_pathId;
        size_t j = i;
        uint64_t bytes = 0;
        while (j < lost.size() && lost[j].m_pathId == pathId)
        {
            if (lost[j].m_inFlight)
            {
                bytes += lost[j].m_sentBytes;
            }
            ++j;
        }
        PathEntry* path = FindPath(pathId);
        if (path != nullptr)
        {
            QuicCongestionState& cc = *path->m_cc;
            cc.m_bytesInFlight -= std::min(cc.m_bytesInFlight, bytes);
            path->m_ops->OnPacketsLost(cc, *path->m_rtt, &lost[i], j - i, now);
        }
        i = j;
    }
    if (lost.empty())
    {
        return;
    }
    for (PathEntry& e : m_paths)
    {
        if (!e.m_pcDeclared)
        {
            continue;
        }
        e.m_pcDeclared = false;
        NS_LOG_LOGIC("persistent congestion on path " << e.m_id);
        e.m_rtt->OnPersistentCongestion();
        e.m_ops->OnPersistentCongestion(*e.m_cc, now);
        m_result.m_persistentCongestion.push_back(e.m_id);
        m_persistentCongestionTrace(e.m_id);
    }
}

// ---------------------------------------------------------------------------------------------
// Timer
// ---------------------------------------------------------------------------------------------

bool
QuicLossRecovery::PeerCompletedAddressValidation() const
{
    // Clients assume the server validated them once a Handshake ACK arrived or the handshake
    // is confirmed; servers are validated implicitly (App. A.8).
    return m_isServer || m_handshakeAckReceived || m_handshakeConfirmed;
}

uint64_t
QuicLossRecovery::TotalAckElicitingInFlight() const
{
    uint64_t total = 0;
    for (const auto& s : m_spaces)
    {
        total += s.m_ackElicitingInFlight;
    }
    return total;
}

Time
QuicLossRecovery::Backoff(Time period) const
{
    uint32_t exponent = std::min(m_ptoCount, MAX_BACKOFF_EXPONENT);
    return period * (int64_t{1} << exponent);
}

Time
QuicLossRecovery::GetPtoPeriod(QuicPacketNumberSpace space) const
{
    const Space& s = m_spaces[Idx(space)];
    uint32_t pathId = s.m_ackElicitingInFlight > 0 ? s.m_lastAckElicitingPath : m_activePath;
    Time maxAckDelay = space == QuicPacketNumberSpace::APPLICATION ? m_peerMaxAckDelay : Time(0);
    return Backoff(EstimatorFor(pathId).GetPto(maxAckDelay));
}

bool
QuicLossRecovery::GetPtoTimeAndSpace(Time now, QuicPacketNumberSpace& space, Time& when) const
{
    if (TotalAckElicitingInFlight() == 0)
    {
        // Anti-deadlock PTO from now (the caller checked the address-validation condition).
        space =
            m_hasHandshakeKeys ? QuicPacketNumberSpace::HANDSHAKE : QuicPacketNumberSpace::INITIAL;
        when = now + Backoff(EstimatorFor(m_activePath).GetPto(Time(0)));
        return true;
    }
    bool found = false;
    for (size_t i = 0; i < QUIC_PN_SPACE_COUNT; ++i)
    {
        const Space& s = m_spaces[i];
        if (s.m_ackElicitingInFlight == 0)
        {
            continue;
        }
        auto sp = static_cast<QuicPacketNumberSpace>(i);
        Time maxAckDelay(0);
        if (sp == QuicPacketNumberSpace::APPLICATION)
        {
            if (!m_handshakeConfirmed)
            {
                break; // no Application Data PTO before confirmation (§6.2.1)
            }
            maxAckDelay = m_peerMaxAckDelay;
        }
        Time t = s.m_timeOfLastAckEliciting +
                 Backoff(EstimatorFor(s.m_lastAckElicitingPath).GetPto(maxAckDelay));
        if (!found || t < when)
        {
            when = t;
            space = sp;
            found = true;
        }
    }
    return found;
}

void
QuicLossRecovery::SetLossDetectionTimer(Time now)
{
    // Time-threshold loss detection first (App. A.8).
    bool haveLoss = false;
    Time earliest;
    for (const auto& s : m_spaces)
    {
        if (s.m_lossTimeSet && (!haveLoss || s.m_lossTime < earliest))
        {
            earliest = s.m_lossTime;
            haveLoss = true;
        }
    }
    if (haveLoss)
    {
        m_timerArmed = true;
        m_timerDeadline = earliest;
        return;
    }
    if (m_amplificationBlocked)
    {
        m_timerArmed = false; // nothing could be sent on expiry (§6.2.2.1)
        m_timerDeadline = Time::Max();
        return;
    }
    if (TotalAckElicitingInFlight() == 0 && PeerCompletedAddressValidation())
    {
        m_timerArmed = false;
        m_timerDeadline = Time::Max();
        return;
    }
    QuicPacketNumberSpace space;
    Time when;
    m_timerArmed = GetPtoTimeAndSpace(now, space, when);
    m_timerDeadline = m_timerArmed ? when : Time::Max();
}

bool
QuicLossRecovery::IsLossDetectionTimerArmed() const
{
    return m_timerArmed;
}

Time
QuicLossRecovery::GetLossDetectionTimer() const
{
    return m_timerArmed ? m_timerDeadline : Time::Max();
}

uint32_t
QuicLossRecovery::GetPtoCount() const
{
    return m_ptoCount;
}

const QuicRecoveryResult&
QuicLossRecovery::OnLossDetectionTimeout(Time now)
{
    NS_LOG_FUNCTION(this << now);
    m_result.Clear();
    if (!m_timerArmed || now < m_timerDeadline)
    {
        return m_result;
    }
    // Time-threshold losses in the space with the earliest loss_time (App. A.9).
    bool haveLoss = false;
    size_t lossSpace = 0;
    for (size_t i = 0; i < QUIC_PN_SPACE_COUNT; ++i)
    {
        const Space& s = m_spaces[i];
        if (s.m_lossTimeSet && (!haveLoss || s.m_lossTime < m_spaces[lossSpace].m_lossTime))
        {
            lossSpace = i;
            haveLoss = true;
        }
    }
    if (haveLoss)
    {
        auto sp = static_cast<QuicPacketNumberSpace>(lossSpace);
        m_result.m_action = QuicLossTimerAction::LOSS_DETECTED;
        m_result.m_space = sp;
        DetectLostPackets(sp, now);
        ProcessLost(now);
        PopFinished(m_spaces[lossSpace]);
        SetLossDetectionTimer(now);
        return m_result;
    }

    if (TotalAckElicitingInFlight() == 0)
    {
        // Client anti-deadlock probe: Handshake proves address ownership, a padded Initial
        // earns amplification credit.
        m_result.m_action = QuicLossTimerAction::SEND_ANTI_DEADLOCK;
        m_result.m_space =
            m_hasHandshakeKeys ? QuicPacketNumberSpace::HANDSHAKE : QuicPacketNumberSpace::INITIAL;
        m_result.m_probePackets = 1;
    }
    else
    {
        QuicPacketNumberSpace sp;
        Time when;
        GetPtoTimeAndSpace(now, sp, when);
        m_result.m_action = QuicLossTimerAction::SEND_PROBES;
        m_result.m_space = sp;
        m_result.m_probePackets = m_probePackets;
    }
    m_ptoTrace(m_result.m_space, m_ptoCount);
    ++m_ptoCount;
    SetLossDetectionTimer(now);
    return m_result;
}

// ---------------------------------------------------------------------------------------------
// Discarding keys
// ---------------------------------------------------------------------------------------------

void
QuicLossRecovery::OnPacketNumberSpaceDiscarded(QuicPacketNumberSpace space, Time now)
{
    NS_LOG_FUNCTION(this << static_cast<int>(space) << now);
    Space& s = m_spaces[Idx(space)];
    for (size_t i = 0; i < s.m_count; ++i)
    {
        Slot& slot = s.m_slots[(s.m_head + i) & (s.m_slots.size() - 1)];
        if (slot.m_state != SlotState::OUTSTANDING || !slot.m_packet.m_inFlight)
        {
            continue;
        }
        PathEntry* path = FindPath(slot.m_packet.m_pathId);
        if (path != nullptr)
        {
            QuicCongestionState& cc = *path->m_cc;
            cc.m_bytesInFlight -= std::min<uint64_t>(cc.m_bytesInFlight, slot.m_packet.m_sentBytes);
        }
    }
    s.m_count = 0;
    s.m_head = 0;
    s.m_basePn = s.m_nextPn;
    s.m_ackElicitingInFlight = 0;
    s.m_lossTimeSet = false;
    s.m_discarded = true;
    std::vector<Slot>().swap(s.m_slots); // free the ring: the space is never used again
    m_ptoCount = 0;
    SetLossDetectionTimer(now);
}

// ---------------------------------------------------------------------------------------------
// Introspection
// ---------------------------------------------------------------------------------------------

size_t
QuicLossRecovery::GetTrackedPacketCount(QuicPacketNumberSpace space) const
{
    return m_spaces[Idx(space)].m_count;
}

uint64_t
QuicLossRecovery::GetAckElicitingInFlight(QuicPacketNumberSpace space) const
{
    return m_spaces[Idx(space)].m_ackElicitingInFlight;
}

bool
QuicLossRecovery::GetLargestAcked(QuicPacketNumberSpace space, uint64_t& largest) const
{
    const Space& s = m_spaces[Idx(space)];
    if (!s.m_hasLargestAcked)
    {
        return false;
    }
    largest = s.m_largestAcked;
    return true;
}

} // namespace ns3
