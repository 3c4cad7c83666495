/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-cid-manager.h"

#include "ns3/log.h"

#include <algorithm>
#include <openssl/crypto.h>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicCidManager");

QuicCidManager::QuicCidManager()
    : m_localLimit(2),
      m_localIssueCap(DEFAULT_LOCAL_ISSUE_CAP),
      m_maxIssued(DEFAULT_MAX_ISSUED),
      m_retireBacklogLimit(0),
      m_localInitialized(false),
      m_localZeroLength(false),
      m_peerLimit(0),
      m_nextLocalSeq(0),
      m_largestSentSeq(0),
      m_retirePriorTo(0),
      m_peerInitialized(false),
      m_peerZeroLength(false),
      m_largestPeerRpt(0)
{
}

// ---- configuration ---------------------------------------------------------------------------

void
QuicCidManager::SetCidGenerator(CidGenerator generator)
{
    m_generator = std::move(generator);
}

void
QuicCidManager::SetRoutingCallbacks(RegisterCallback reg, UnregisterCallback unreg)
{
    m_register = std::move(reg);
    m_unregister = std::move(unreg);
}

void
QuicCidManager::SetPeerCidRetiredCallback(PeerCidRetiredCallback cb)
{
    m_peerRetired = std::move(cb);
}

void
QuicCidManager::SetResetKey(const std::vector<uint8_t>& key)
{
    m_resetKey = key;
}

void
QuicCidManager::SetLocalActiveConnectionIdLimit(uint64_t limit)
{
    m_localLimit = std::max<uint64_t>(limit, 2);
}

void
QuicCidManager::SetLocalIssueCap(uint64_t cap)
{
    m_localIssueCap = std::max<uint64_t>(cap, 1);
}

void
QuicCidManager::SetMaxIssued(uint64_t maxIssued)
{
    m_maxIssued = maxIssued;
}

void
QuicCidManager::SetRetireBacklogLimit(uint64_t limit)
{
    m_retireBacklogLimit = limit;
}

uint64_t
QuicCidManager::GetRetireBacklogLimit() const
{
    uint64_t twice = m_localLimit > UINT64_MAX / 2 ? UINT64_MAX : 2 * m_localLimit;
    return std::max(m_retireBacklogLimit, twice);
}

// ---- local CIDs ------------------------------------------------------------------------------

void
QuicCidManager::RememberIssued(const QuicConnectionId& cid)
{
    auto it = std::lower_bound(m_issuedValues.begin(), m_issuedValues.end(), cid);
    if (it == m_issuedValues.end() || !(*it == cid))
    {
        m_issuedValues.insert(it, cid);
    }
}

bool
QuicCidManager::DrawNewLocalCid(uint64_t seq, QuicConnectionId& cid)
{
    if (!m_generator)
    {
        return false;
    }
    size_t length = m_local.empty() ? 0 : m_local.begin()->second.m_cid.Length();
    for (unsigned attempt = 0; attempt < GENERATOR_ATTEMPTS; ++attempt)
    {
        QuicConnectionId c = m_generator();
        if (c.IsEmpty() || (length != 0 && c.Length() != length))
        {
            NS_LOG_WARN("the CID generator returned an unusable value " << c);
            return false;
        }
        if (std::binary_search(m_issuedValues.begin(), m_issuedValues.end(), c))
        {
            continue; // CID-01: never the same value twice on this connection
        }
        if (m_register && !m_register(c, seq))
        {
            continue; // held by another connection of the endpoint
        }
        RememberIssued(c);
        cid = c;
        return true;
    }
    NS_LOG_WARN("no new connection ID after " << GENERATOR_ATTEMPTS << " draws");
    return false;
}

bool
QuicCidManager::IssueOne(bool sendInFrame)
{
    if (!m_localInitialized || m_localZeroLength)
    {
        return false;
    }
    if (m_maxIssued != 0 && m_nextLocalSeq >= m_maxIssued)
    {
        return false;
    }
    uint64_t seq = m_nextLocalSeq;
    QuicConnectionId cid;
    if (!DrawNewLocalCid(seq, cid))
    {
        return false;
    }
    LocalCid entry;
    entry.m_cid = cid;
    entry.m_token = QuicStatelessResetToken(m_resetKey, cid);
    entry.m_sendState = sendInFrame ? SendState::PENDING : SendState::ACKED;
    entry.m_everSent = !sendInFrame;
    m_local.emplace(seq, entry);
    ++m_nextLocalSeq;
    if (sendInFrame)
    {
        m_ncidQueue.insert(seq);
    }
    else
    {
        m_largestSentSeq = std::max(m_largestSentSeq, seq);
    }
    NS_LOG_DEBUG("issued local CID seq " << seq << " " << cid);
    return true;
}

bool
QuicCidManager::SetInitialLocalCid(const QuicConnectionId& cid)
{
    if (m_localInitialized)
    {
        return false;
    }
    if (!cid.IsEmpty() && m_register && !m_register(cid, 0))
    {
        return false;
    }
    LocalCid entry;
    entry.m_cid = cid;
    entry.m_token = cid.IsEmpty() ? QuicResetToken{} : QuicStatelessResetToken(m_resetKey, cid);
    entry.m_sendState = SendState::ACKED;
    entry.m_everSent = true;
    m_local.emplace(0, entry);
    RememberIssued(cid);
    m_localInitialized = true;
    m_localZeroLength = cid.IsEmpty();
    m_nextLocalSeq = 1;
    m_largestSentSeq = 0;
    return true;
}

bool
QuicCidManager::IssuePreferredAddressCid(QuicConnectionId& cid, QuicResetToken& token)
{
    if (!m_localInitialized || m_localZeroLength || m_nextLocalSeq != 1)
    {
        return false;
    }
    if (!IssueOne(false))
    {
        return false;
    }
    auto it = m_local.find(1); // just issued
    if (it == m_local.end())
    {
        return false;
    }
    const LocalCid& e = it->second;
    cid = e.m_cid;
    token = e.m_token;
    return true;
}

uint64_t
QuicCidManager::TargetIssued() const
{
    return std::min(m_peerLimit, m_localIssueCap);
}

uint64_t
QuicCidManager::CountHeldByPeer() const
{
    uint64_t n = 0;
    for (auto it = m_local.lower_bound(m_retirePriorTo); it != m_local.end(); ++it)
    {
        ++n;
    }
    return n;
}

void
QuicCidManager::SetPeerActiveConnectionIdLimit(uint64_t limit)
{
    m_peerLimit = limit;
    ReplenishLocalCids();
}

uint64_t
QuicCidManager::ReplenishLocalCids()
{
    uint64_t issued = 0;
    if (!m_localInitialized || m_localZeroLength || m_peerLimit == 0)
    {
        return 0;
    }
    // CID-07: count what the peer holds after applying our Retire Prior To; the CIDs below it
    // are the surplus a NEW_CONNECTION_ID carrying that value retires.
    uint64_t held = CountHeldByPeer();
    uint64_t target = TargetIssued();
    while (held < target && IssueOne(true))
    {
        ++held;
        ++issued;
    }
    return issued;
}

QuicTransportError
QuicCidManager::OnRetireConnectionId(uint64_t sequenceNumber, const QuicConnectionId& packetDcid)
{
    if (!m_localInitialized || m_localZeroLength)
    {
        NS_LOG_LOGIC("RETIRE_CONNECTION_ID with a zero-length local CID (FR-03)");
        return QuicTransportError::PROTOCOL_VIOLATION;
    }
    if (sequenceNumber > m_largestSentSeq)
    {
        NS_LOG_LOGIC("RETIRE_CONNECTION_ID " << sequenceNumber << " never sent (FR-09)");
        return QuicTransportError::PROTOCOL_VIOLATION;
    }
    auto it = m_local.find(sequenceNumber);
    if (it == m_local.end())
    {
        return QuicTransportError::NO_ERROR; // already retired: a repeat
    }
    if (it->second.m_cid == packetDcid)
    {
        NS_LOG_LOGIC("RETIRE_CONNECTION_ID " << sequenceNumber << " in a packet to it (FR-10)");
        return QuicTransportError::PROTOCOL_VIOLATION;
    }
    QuicConnectionId cid = it->second.m_cid;
    m_local.erase(it); // its token goes with it (SR-03)
    m_ncidQueue.erase(sequenceNumber);
    if (m_unregister)
    {
        m_unregister(cid, sequenceNumber);
    }
    NS_LOG_DEBUG("peer retired local CID seq " << sequenceNumber << " " << cid);
    ReplenishLocalCids(); // CID-06
    return QuicTransportError::NO_ERROR;
}

bool
QuicCidManager::RaiseRetirePriorTo(uint64_t retirePriorTo)
{
    if (!m_localInitialized || m_localZeroLength || m_peerLimit == 0)
    {
        return false;
    }
    if (retirePriorTo <= m_retirePriorTo || retirePriorTo > m_nextLocalSeq)
    {
        return false;
    }
    // CID-14: not before everything below the previous value was retired by the peer.
    if (!m_local.empty() && m_local.begin()->first < m_retirePriorTo)
    {
        return false;
    }
    uint64_t previous = m_retirePriorTo;
    m_retirePriorTo = retirePriorTo;
    if (ReplenishLocalCids() == 0)
    {
        m_retirePriorTo = previous;
        return false;
    }
    // CIDs below the new value that never left this endpoint are unknown to the peer: drop
    // them here, the peer will never retire them.
    for (auto it = m_local.begin(); it != m_local.end() && it->first < retirePriorTo;)
    {
        if (!it->second.m_everSent)
        {
            QuicConnectionId cid = it->second.m_cid;
            uint64_t seq = it->first;
            m_ncidQueue.erase(seq);
            it = m_local.erase(it);
            if (m_unregister)
            {
                m_unregister(cid, seq);
            }
        }
        else
        {
            ++it;
        }
    }
    return true;
}

uint64_t
QuicCidManager::GetRetirePriorTo() const
{
    return m_retirePriorTo;
}

bool
QuicCidManager::IsActive(const QuicConnectionId& cid) const
{
    return GetLocalSequenceNumber(cid).has_value();
}

std::optional<uint64_t>
QuicCidManager::GetLocalSequenceNumber(const QuicConnectionId& cid) const
{
    for (const auto& [seq, e] : m_local)
    {
        if (e.m_cid == cid)
        {
            return seq;
        }
    }
    return std::nullopt;
}

std::optional<QuicResetToken>
QuicCidManager::GetLocalResetToken(uint64_t sequenceNumber) const
{
    auto it = m_local.find(sequenceNumber);
    if (it == m_local.end() || it->second.m_cid.IsEmpty())
    {
        return std::nullopt;
    }
    return it->second.m_token;
}

std::vector<QuicConnectionId>
QuicCidManager::GetActiveLocalCids() const
{
    std::vector<QuicConnectionId> out;
    out.reserve(m_local.size());
    for (const auto& kv : m_local)
    {
        out.push_back(kv.second.m_cid);
    }
    return out;
}

size_t
QuicCidManager::GetActiveLocalCount() const
{
    return m_local.size();
}

uint64_t
QuicCidManager::GetNextLocalSequenceNumber() const
{
    return m_nextLocalSeq;
}

void
QuicCidManager::UnregisterAll()
{
    for (const auto& [seq, e] : m_local)
    {
        if (!e.m_cid.IsEmpty() && m_unregister)
        {
            m_unregister(e.m_cid, seq);
        }
    }
    m_local.clear();
    m_ncidQueue.clear();
}

// ---- peer CIDs -------------------------------------------------------------------------------

bool
QuicCidManager::SetInitialPeerCid(const QuicConnectionId& cid, uint32_t pathId)
{
    if (m_peerInitialized)
    {
        return false;
    }
    PeerCid e;
    e.m_cid = cid;
    e.m_token = QuicResetToken{};
    e.m_hasToken = false;
    e.m_state = QuicPeerCidState::IN_USE;
    e.m_pathId = pathId;
    e.m_forced = false;
    m_peer.emplace(0, e);
    m_peerInitialized = true;
    m_peerZeroLength = cid.IsEmpty();
    if (m_peerZeroLength)
    {
        m_zeroLengthPaths.insert(pathId);
    }
    return true;
}

QuicTransportError
QuicCidManager::SetInitialPeerResetToken(const QuicResetToken& token)
{
    auto it = m_peer.find(0);
    if (it == m_peer.end() || it->second.m_state == QuicPeerCidState::RETIRED)
    {
        return QuicTransportError::NO_ERROR;
    }
    for (const auto& [seq, e] : m_peer)
    {
        if (seq != 0 && e.m_hasToken && e.m_token == token)
        {
            return QuicTransportError::PROTOCOL_VIOLATION; // SR-12
        }
    }
    it->second.m_token = token;
    it->second.m_hasToken = true;
    return QuicTransportError::NO_ERROR;
}

QuicTransportError
QuicCidManager::AddPreferredAddressPeerCid(const QuicConnectionId& cid, const QuicResetToken& token)
{
    return OnNewConnectionId(1, 0, cid, token);
}

QuicTransportError
QuicCidManager::CheckPeerConflicts(uint64_t seq,
                                   const QuicConnectionId& cid,
                                   const QuicResetToken& token) const
{
    for (const auto& [s, e] : m_peer)
    {
        if (s == seq)
        {
            continue;
        }
        if (e.m_cid == cid)
        {
            NS_LOG_LOGIC("CID " << cid << " repeated under seq " << seq << " and " << s);
            return QuicTransportError::PROTOCOL_VIOLATION; // FR-04
        }
        if (e.m_hasToken && e.m_token == token)
        {
            NS_LOG_LOGIC("token of seq " << s << " repeated for seq " << seq);
            return QuicTransportError::PROTOCOL_VIOLATION; // SR-12
        }
    }
    return QuicTransportError::NO_ERROR;
}

bool
QuicCidManager::IsPeerSeqRetired(uint64_t seq) const
{
    auto it = m_retiredRanges.upper_bound(seq);
    if (it == m_retiredRanges.begin())
    {
        return false;
    }
    --it;
    return seq <= it->second;
}

void
QuicCidManager::MarkPeerSeqRetired(uint64_t seq)
{
    if (IsPeerSeqRetired(seq))
    {
        return;
    }
    uint64_t first = seq;
    uint64_t last = seq;
    auto next = m_retiredRanges.upper_bound(seq);
    if (next != m_retiredRanges.begin())
    {
        auto prev = std::prev(next);
        if (prev->second + 1 == seq)
        {
            first = prev->first;
            m_retiredRanges.erase(prev);
        }
    }
    if (next != m_retiredRanges.end() && next->first == seq + 1)
    {
        last = next->second;
        m_retiredRanges.erase(next);
    }
    m_retiredRanges[first] = last;
    // Bounded (STYLE 10): a peer that skips sequence numbers makes gaps; fill the lowest one.
    // A CID of a filled gap that arrives later is then taken as retired already (no second
    // RETIRE_CONNECTION_ID), which only affects a peer that left sequence numbers unsent.
    while (m_retiredRanges.size() > MAX_RETIRED_RANGES)
    {
        auto a = m_retiredRanges.begin();
        auto b = std::next(a);
        a->second = b->second;
        m_retiredRanges.erase(b);
    }
}

void
QuicCidManager::RetirePeer(SeqMap<PeerCid>::iterator it, bool forced)
{
    uint32_t path = it->second.m_state == QuicPeerCidState::IN_USE ? it->second.m_pathId : NO_PATH;
    it->second.m_state = QuicPeerCidState::RETIRED;
    it->second.m_pathId = NO_PATH;
    it->second.m_forced = forced;
    MarkPeerSeqRetired(it->first);
    m_rcidQueue.insert(it->first);
    NS_LOG_DEBUG("retiring peer CID seq " << it->first << " " << it->second.m_cid);
    if (m_peerRetired)
    {
        m_peerRetired(it->first, it->second.m_cid, path);
    }
}

QuicCidManager::SeqMap<QuicCidManager::PeerCid>::iterator
QuicCidManager::FindPath(uint32_t pathId)
{
    for (auto it = m_peer.begin(); it != m_peer.end(); ++it)
    {
        if (it->second.m_state == QuicPeerCidState::IN_USE && it->second.m_pathId == pathId)
        {
            return it;
        }
    }
    return m_peer.end();
}

QuicCidManager::SeqMap<QuicCidManager::PeerCid>::const_iterator
QuicCidManager::FindPath(uint32_t pathId) const
{
    for (auto it = m_peer.begin(); it != m_peer.end(); ++it)
    {
        if (it->second.m_state == QuicPeerCidState::IN_USE && it->second.m_pathId == pathId)
        {
            return it;
        }
    }
    return m_peer.end();
}

QuicCidManager::SeqMap<QuicCidManager::PeerCid>::iterator
QuicCidManager::FindUnused()
{
    for (auto it = m_peer.begin(); it != m_peer.end(); ++it)
    {
        if (it->second.m_state == QuicPeerCidState::UNUSED)
        {
            return it;
        }
    }
    return m_peer.end();
}

QuicTransportError
QuicCidManager::OnNewConnectionId(const QuicFrame& frame)
{
    QuicResetToken token;
    std::copy(std::begin(frame.m_statelessResetToken),
              std::end(frame.m_statelessResetToken),
              token.begin());
    return OnNewConnectionId(frame.m_sequenceNumber,
                             frame.m_retirePriorTo,
                             frame.m_connectionId,
                             token);
}

QuicTransportError
QuicCidManager::OnNewConnectionId(uint64_t sequenceNumber,
                                  uint64_t retirePriorTo,
                                  const QuicConnectionId& cid,
                                  const QuicResetToken& token)
{
    if (m_peerZeroLength)
    {
        NS_LOG_LOGIC("NEW_CONNECTION_ID while sending zero-length DCIDs (FR-03)");
        return QuicTransportError::PROTOCOL_VIOLATION;
    }
    if (cid.IsEmpty() || retirePriorTo > sequenceNumber)
    {
        return QuicTransportError::FRAME_ENCODING_ERROR; // FR-02, FR-05 (decoder's job)
    }

    // 1. Repeats and conflicts (FR-04, SR-12).
    bool known = false;
    auto self = m_peer.find(sequenceNumber);
    if (self != m_peer.end())
    {
        const PeerCid& e = self->second;
        if (e.m_cid != cid || !e.m_hasToken || e.m_token != token)
        {
            NS_LOG_LOGIC("seq " << sequenceNumber << " repeated with another CID or token");
            return QuicTransportError::PROTOCOL_VIOLATION;
        }
        known = true; // an identical repeat: not an error (FR-04)
    }
    else if (IsPeerSeqRetired(sequenceNumber))
    {
        known = true; // retired and forgotten: nothing to compare, nothing to do
    }
    else
    {
        QuicTransportError e = CheckPeerConflicts(sequenceNumber, cid, token);
        if (e != QuicTransportError::NO_ERROR)
        {
            return e;
        }
    }

    // 2. Retire Prior To: only an increase counts (FR-06); every lower sequence number stops
    //    being used and is retired before the new CID joins (CID-12).
    std::vector<uint32_t> orphanedPaths;
    if (retirePriorTo > m_largestPeerRpt)
    {
        m_largestPeerRpt = retirePriorTo;
        for (auto it = m_peer.begin(); it != m_peer.end() && it->first < retirePriorTo; ++it)
        {
            if (it->second.m_state == QuicPeerCidState::RETIRED)
            {
                continue;
            }
            if (it->second.m_state == QuicPeerCidState::IN_USE)
            {
                orphanedPaths.push_back(it->second.m_pathId);
            }
            RetirePeer(it, true);
        }
    }

    // 3. The new CID joins, or is retired at once when below Retire Prior To (FR-07).
    if (!known)
    {
        PeerCid e;
        e.m_cid = cid;
        e.m_token = token;
        e.m_hasToken = true;
        e.m_state = QuicPeerCidState::UNUSED;
        e.m_pathId = NO_PATH;
        e.m_forced = false;
        auto it = m_peer.emplace(sequenceNumber, e).first;
        if (sequenceNumber < m_largestPeerRpt)
        {
            RetirePeer(it, true);
        }
    }

    // 4. Paths whose CID was retired move to CIDs no path used before (PRIV-02, PRIV-03).
    for (uint32_t path : orphanedPaths)
    {
        auto u = FindUnused();
        if (u == m_peer.end())
        {
            NS_LOG_LOGIC("path " << path << " left without a connection ID");
            break;
        }
        u->second.m_state = QuicPeerCidState::IN_USE;
        u->second.m_pathId = path;
    }

    // 5. Limits: active CIDs (CID-08), retirement backlog (CID-13).
    if (GetActivePeerCount() > m_localLimit)
    {
        NS_LOG_LOGIC("peer exceeds our active_connection_id_limit " << m_localLimit);
        return QuicTransportError::CONNECTION_ID_LIMIT_ERROR;
    }
    // Only the retirements the peer forced count here: the ones we chose are bounded by
    // UseUnusedCid() and RotateCid() refusing while the backlog is full.
    size_t forced = 0;
    for (const auto& kv : m_peer)
    {
        forced += (kv.second.m_state == QuicPeerCidState::RETIRED && kv.second.m_forced) ? 1 : 0;
    }
    if (forced > GetRetireBacklogLimit())
    {
        NS_LOG_LOGIC("retirement backlog above " << GetRetireBacklogLimit());
        return QuicTransportError::CONNECTION_ID_LIMIT_ERROR;
    }
    return QuicTransportError::NO_ERROR;
}

std::optional<QuicConnectionId>
QuicCidManager::UseUnusedCid(uint32_t pathId)
{
    if (!m_peerInitialized)
    {
        return std::nullopt;
    }
    if (m_peerZeroLength)
    {
        if (!m_zeroLengthPaths.insert(pathId).second)
        {
            return std::nullopt;
        }
        return QuicConnectionId();
    }
    if (FindPath(pathId) != m_peer.end() || GetRetireBacklog() >= GetRetireBacklogLimit())
    {
        return std::nullopt;
    }
    auto u = FindUnused();
    if (u == m_peer.end())
    {
        return std::nullopt;
    }
    u->second.m_state = QuicPeerCidState::IN_USE;
    u->second.m_pathId = pathId;
    return u->second.m_cid;
}

std::optional<QuicConnectionId>
QuicCidManager::GetCidForPath(uint32_t pathId) const
{
    if (m_peerZeroLength)
    {
        if (m_zeroLengthPaths.count(pathId) == 0)
        {
            return std::nullopt;
        }
        return QuicConnectionId();
    }
    auto it = FindPath(pathId);
    if (it == m_peer.end())
    {
        return std::nullopt;
    }
    return it->second.m_cid;
}

std::optional<uint64_t>
QuicCidManager::GetSequenceNumberForPath(uint32_t pathId) const
{
    if (m_peerZeroLength)
    {
        if (m_zeroLengthPaths.count(pathId) == 0)
        {
            return std::nullopt;
        }
        return 0;
    }
    auto it = FindPath(pathId);
    if (it == m_peer.end())
    {
        return std::nullopt;
    }
    return it->first;
}

bool
QuicCidManager::ReleasePath(uint32_t pathId)
{
    if (m_peerZeroLength)
    {
        m_zeroLengthPaths.erase(pathId);
        return false; // nothing to retire (§19.16: no RETIRE_CONNECTION_ID then)
    }
    auto it = FindPath(pathId);
    if (it == m_peer.end())
    {
        return false;
    }
    RetirePeer(it, false);
    return true;
}

std::optional<QuicConnectionId>
QuicCidManager::RotateCid(uint32_t pathId)
{
    if (m_peerZeroLength)
    {
        return std::nullopt;
    }
    auto old = FindPath(pathId);
    if (old == m_peer.end())
    {
        return std::nullopt;
    }
    auto u = FindUnused();
    if (u == m_peer.end() || GetRetireBacklog() >= GetRetireBacklogLimit())
    {
        return std::nullopt;
    }
    u->second.m_state = QuicPeerCidState::IN_USE;
    u->second.m_pathId = pathId;
    RetirePeer(old, false);
    return u->second.m_cid;
}

size_t
QuicCidManager::GetUnusedCount() const
{
    size_t n = 0;
    for (const auto& kv : m_peer)
    {
        n += kv.second.m_state == QuicPeerCidState::UNUSED ? 1 : 0;
    }
    return n;
}

size_t
QuicCidManager::GetActivePeerCount() const
{
    size_t n = 0;
    for (const auto& kv : m_peer)
    {
        n += kv.second.m_state != QuicPeerCidState::RETIRED ? 1 : 0;
    }
    return n;
}

size_t
QuicCidManager::GetRetireBacklog() const
{
    size_t n = 0;
    for (const auto& kv : m_peer)
    {
        n += kv.second.m_state == QuicPeerCidState::RETIRED ? 1 : 0;
    }
    return n;
}

uint64_t
QuicCidManager::GetLargestPeerRetirePriorTo() const
{
    return m_largestPeerRpt;
}

std::optional<QuicPeerCidState>
QuicCidManager::GetPeerCidState(uint64_t sequenceNumber) const
{
    auto it = m_peer.find(sequenceNumber);
    if (it != m_peer.end())
    {
        return it->second.m_state;
    }
    if (IsPeerSeqRetired(sequenceNumber))
    {
        return QuicPeerCidState::RETIRED;
    }
    return std::nullopt;
}

bool
QuicCidManager::IsStatelessReset(const uint8_t* datagram, size_t size) const
{
    if (datagram == nullptr || size < QUIC_STATELESS_RESET_MIN_LENGTH)
    {
        return false; // SR-08: too small to be a valid packet
    }
    const uint8_t* tail = datagram + size - QUIC_RESET_TOKEN_LENGTH;
    int match = 0;
    for (const auto& kv : m_peer)
    {
        const PeerCid& e = kv.second;
        // SR-10: only CIDs in use; never unused or retired ones.
        if (e.m_state != QuicPeerCidState::IN_USE || !e.m_hasToken)
        {
            continue;
        }
        match |= CRYPTO_memcmp(tail, e.m_token.data(), QUIC_RESET_TOKEN_LENGTH) == 0 ? 1 : 0;
    }
    return match != 0;
}

// ---- frames to send --------------------------------------------------------------------------

bool
QuicCidManager::HasFramesToSend() const
{
    return !m_rcidQueue.empty() || !m_ncidQueue.empty();
}

bool
QuicCidManager::NextFrame(QuicFrame& frame, QuicCidFrameRecord& record)
{
    while (!m_rcidQueue.empty())
    {
        uint64_t seq = *m_rcidQueue.begin();
        m_rcidQueue.erase(m_rcidQueue.begin());
        auto it = m_peer.find(seq);
        if (it == m_peer.end() || it->second.m_state != QuicPeerCidState::RETIRED)
        {
            continue;
        }
        frame = QuicFrame::RetireConnectionId(seq);
        record.m_type = QuicFrameType::RETIRE_CONNECTION_ID;
        record.m_sequenceNumber = seq;
        return true;
    }
    while (!m_ncidQueue.empty())
    {
        uint64_t seq = *m_ncidQueue.begin();
        m_ncidQueue.erase(m_ncidQueue.begin());
        auto it = m_local.find(seq);
        if (it == m_local.end() || it->second.m_sendState == SendState::ACKED)
        {
            continue;
        }
        LocalCid& e = it->second;
        frame = QuicFrame::NewConnectionId(seq,
                                           std::min(m_retirePriorTo, seq),
                                           e.m_cid,
                                           e.m_token.data());
        e.m_sendState = SendState::IN_FLIGHT;
        e.m_everSent = true;
        m_largestSentSeq = std::max(m_largestSentSeq, seq);
        record.m_type = QuicFrameType::NEW_CONNECTION_ID;
        record.m_sequenceNumber = seq;
        return true;
    }
    return false;
}

void
QuicCidManager::OnFrameAcked(const QuicCidFrameRecord& record)
{
    if (record.m_type == QuicFrameType::NEW_CONNECTION_ID)
    {
        auto it = m_local.find(record.m_sequenceNumber);
        if (it != m_local.end())
        {
            it->second.m_sendState = SendState::ACKED;
            m_ncidQueue.erase(record.m_sequenceNumber);
        }
    }
    else if (record.m_type == QuicFrameType::RETIRE_CONNECTION_ID)
    {
        auto it = m_peer.find(record.m_sequenceNumber);
        if (it != m_peer.end() && it->second.m_state == QuicPeerCidState::RETIRED)
        {
            m_peer.erase(it); // retirement delivered: the CID may be forgotten (CID-13)
            m_rcidQueue.erase(record.m_sequenceNumber);
        }
    }
}

void
QuicCidManager::OnFrameLost(const QuicCidFrameRecord& record)
{
    if (record.m_type == QuicFrameType::NEW_CONNECTION_ID)
    {
        auto it = m_local.find(record.m_sequenceNumber);
        if (it != m_local.end() && it->second.m_sendState != SendState::ACKED)
        {
            it->second.m_sendState = SendState::PENDING;
            m_ncidQueue.insert(record.m_sequenceNumber); // same sequence number (FR-04)
        }
    }
    else if (record.m_type == QuicFrameType::RETIRE_CONNECTION_ID)
    {
        auto it = m_peer.find(record.m_sequenceNumber);
        if (it != m_peer.end() && it->second.m_state == QuicPeerCidState::RETIRED)
        {
            m_rcidQueue.insert(record.m_sequenceNumber);
        }
    }
}

} // namespace ns3
