/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-stream.h"

#include "ns3/assert.h"
#include "ns3/log.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace
{

/// Bytes per step when a checksum of the pattern is computed.
constexpr size_t PATTERN_CHECKSUM_BLOCK = 16384;

/**
 * \brief The QuicStreamPattern table: PERIOD pseudo-random bytes (xorshift64*).
 * \return the table
 */
const uint8_t*
PatternTable()
{
    static const std::array<uint8_t, ns3::QuicStreamPattern::PERIOD> table = [] {
        std::array<uint8_t, ns3::QuicStreamPattern::PERIOD> t{};
        uint64_t x = 0x2545F4914F6CDD1DULL;
        for (auto& b : t)
        {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            b = static_cast<uint8_t>((x * 0x2545F4914F6CDD1DULL) >> 56);
        }
        return t;
    }();
    return table.data();
}

/**
 * \brief Copy bytes into a ring buffer at a stream offset (byte k at k % size).
 * \param ring the ring, not empty
 * \param offset stream offset of src[0]
 * \param src bytes
 * \param n count, at most ring.size()
 */
void
RingWrite(std::vector<uint8_t>& ring, uint64_t offset, const uint8_t* src, uint64_t n)
{
    const uint64_t cap = ring.size();
    const uint64_t pos = offset % cap;
    const uint64_t first = std::min(n, cap - pos);
    std::memcpy(ring.data() + pos, src, first);
    if (n > first)
    {
        std::memcpy(ring.data(), src + first, n - first);
    }
}

/**
 * \brief Copy bytes out of a ring buffer from a stream offset.
 * \param ring the ring, not empty
 * \param offset stream offset of the first byte
 * \param dst destination
 * \param n count, at most ring.size()
 */
void
RingRead(const std::vector<uint8_t>& ring, uint64_t offset, uint8_t* dst, uint64_t n)
{
    const uint64_t cap = ring.size();
    const uint64_t pos = offset % cap;
    const uint64_t first = std::min(n, cap - pos);
    std::memcpy(dst, ring.data() + pos, first);
    if (n > first)
    {
        std::memcpy(dst + first, ring.data(), n - first);
    }
}

/**
 * \brief Move the stream bytes [offset, offset + n) from one ring to another of a
 * different size (used when a ring grows).
 * \param from old ring (may be empty, then nothing is copied)
 * \param to new ring
 * \param offset first stream offset
 * \param n count, at most the size of both rings
 */
void
RingMove(const std::vector<uint8_t>& from, std::vector<uint8_t>& to, uint64_t offset, uint64_t n)
{
    if (from.empty())
    {
        return;
    }
    while (n > 0)
    {
        const uint64_t pf = offset % from.size();
        const uint64_t pt = offset % to.size();
        const uint64_t k = std::min({n, from.size() - pf, to.size() - pt});
        std::memcpy(to.data() + pt, from.data() + pf, k);
        offset += k;
        n -= k;
    }
}

/**
 * \param p 8 bytes
 * \return them as a little-endian 64-bit word
 */
inline uint64_t
LoadLe64(const uint8_t* p)
{
    uint64_t v;
    std::memcpy(&v, p, sizeof(v));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

} // namespace

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicStream");

// ---------------------------------------------------------------------------
// Stream ids
// ---------------------------------------------------------------------------

QuicTransportError
QuicStreamIdCheckPeerFrame(uint64_t id, QuicStreamFrameKind kind, QuicStreamInitiator local)
{
    if (!QuicStreamIdIsValid(id))
    {
        return QuicTransportError::FRAME_ENCODING_ERROR;
    }
    switch (kind)
    {
    case QuicStreamFrameKind::STREAM:
    case QuicStreamFrameKind::RESET_STREAM:
    case QuicStreamFrameKind::STREAM_DATA_BLOCKED:
        // Sent by the peer's sending part: we need a receiving part.
        return QuicStreamIdCanReceive(id, local) ? QuicTransportError::NO_ERROR
                                                 : QuicTransportError::STREAM_STATE_ERROR;
    case QuicStreamFrameKind::MAX_STREAM_DATA:
    case QuicStreamFrameKind::STOP_SENDING:
        // Sent by the peer's receiving part: we need a sending part.
        return QuicStreamIdCanSend(id, local) ? QuicTransportError::NO_ERROR
                                              : QuicTransportError::STREAM_STATE_ERROR;
    }
    return QuicTransportError::INTERNAL_ERROR;
}

// ---------------------------------------------------------------------------
// Pattern and checksum
// ---------------------------------------------------------------------------

void
QuicStreamPattern::Fill(uint64_t offset, uint8_t* dst, size_t length)
{
    const uint8_t* table = PatternTable();
    uint64_t pos = offset % PERIOD;
    while (length > 0)
    {
        const size_t k = static_cast<size_t>(std::min<uint64_t>(length, PERIOD - pos));
        std::memcpy(dst, table + pos, k);
        dst += k;
        length -= k;
        pos = 0;
    }
}

bool
QuicStreamPattern::Matches(uint64_t offset, const uint8_t* data, size_t length)
{
    const uint8_t* table = PatternTable();
    uint64_t pos = offset % PERIOD;
    while (length > 0)
    {
        const size_t k = static_cast<size_t>(std::min<uint64_t>(length, PERIOD - pos));
        if (std::memcmp(data, table + pos, k) != 0)
        {
            return false;
        }
        data += k;
        length -= k;
        pos = 0;
    }
    return true;
}

uint8_t
QuicStreamPattern::ByteAt(uint64_t offset)
{
    return PatternTable()[offset % PERIOD];
}

void
QuicStreamChecksum::Add(uint64_t offset, const uint8_t* data, size_t length)
{
    // Leading partial word: place the bytes in their lanes of word offset / 8.
    if (length > 0 && (offset & 7) != 0)
    {
        const unsigned lane = static_cast<unsigned>(offset & 7);
        const size_t k = std::min<size_t>(8 - lane, length);
        uint64_t v = 0;
        for (size_t j = 0; j < k; ++j)
        {
            v |= static_cast<uint64_t>(data[j]) << (8 * (lane + j));
        }
        m_sum += v;
        m_weighted += v * (2 * (offset >> 3) + 1);
        offset += k;
        data += k;
        length -= k;
    }
    // Whole words.
    uint64_t weight = 2 * (offset >> 3) + 1;
    uint64_t sum = 0;
    uint64_t weighted = 0;
    while (length >= 8)
    {
        const uint64_t v = LoadLe64(data);
        sum += v;
        weighted += v * weight;
        weight += 2;
        data += 8;
        offset += 8;
        length -= 8;
    }
    m_sum += sum;
    m_weighted += weighted;
    // Trailing partial word (lanes from 0).
    if (length > 0)
    {
        uint64_t v = 0;
        for (size_t j = 0; j < length; ++j)
        {
            v |= static_cast<uint64_t>(data[j]) << (8 * j);
        }
        m_sum += v;
        m_weighted += v * weight;
    }
}

uint64_t
QuicStreamChecksum::GetValue() const
{
    return (m_sum * 0x9E3779B97F4A7C15ULL) ^ m_weighted;
}

QuicStreamChecksum
QuicStreamChecksum::OfPattern(uint64_t offset, uint64_t length)
{
    QuicStreamChecksum c;
    uint8_t block[PATTERN_CHECKSUM_BLOCK];
    while (length > 0)
    {
        const size_t k = static_cast<size_t>(std::min<uint64_t>(length, sizeof(block)));
        QuicStreamPattern::Fill(offset, block, k);
        c.Add(offset, block, k);
        offset += k;
        length -= k;
    }
    return c;
}

// ---------------------------------------------------------------------------
// QuicRangeSet
// ---------------------------------------------------------------------------

QuicRangeSet::QuicRangeSet(const QuicRangeSet& other)
    : m_ranges(other.m_ranges),
      m_total(other.m_total)
{
}

QuicRangeSet&
QuicRangeSet::operator=(const QuicRangeSet& other)
{
    if (this != &other)
    {
        m_ranges = other.m_ranges;
        m_total = other.m_total;
    }
    return *this;
}

QuicRangeSet::ConstIterator
QuicRangeSet::FirstTouching(uint64_t start) const
{
    auto it = m_ranges.upper_bound(start);
    if (it != m_ranges.begin())
    {
        auto prev = std::prev(it);
        if (prev->second > start)
        {
            return prev;
        }
    }
    return it;
}

void
QuicRangeSet::InsertNode(uint64_t start, uint64_t end)
{
    if (!m_spare.empty())
    {
        Map::node_type node = std::move(m_spare.back());
        m_spare.pop_back();
        node.key() = start;
        node.mapped() = end;
        m_ranges.insert(std::move(node));
    }
    else
    {
        m_ranges.emplace(start, end);
    }
}

QuicRangeSet::Map::iterator
QuicRangeSet::EraseNode(Map::iterator it)
{
    auto next = std::next(it);
    if (m_spare.size() < SPARE_NODES)
    {
        if (m_spare.capacity() == 0)
        {
            m_spare.reserve(SPARE_NODES);
        }
        m_spare.push_back(m_ranges.extract(it));
    }
    else
    {
        m_ranges.erase(it);
    }
    return next;
}

QuicRangeSet::Map::iterator
QuicRangeSet::Rekey(Map::iterator it, uint64_t newStart)
{
    Map::node_type node = m_ranges.extract(it);
    node.key() = newStart;
    return m_ranges.insert(std::move(node)).position;
}

void
QuicRangeSet::Add(uint64_t start, uint64_t end)
{
    if (start >= end)
    {
        return;
    }
    // First range that overlaps or is adjacent to [start, end].
    auto it = m_ranges.upper_bound(start);
    if (it != m_ranges.begin())
    {
        auto prev = std::prev(it);
        if (prev->second >= start)
        {
            if (prev->second >= end)
            {
                return; // already covered
            }
            it = prev;
        }
    }
    if (it == m_ranges.end() || it->first > end)
    {
        InsertNode(start, end);
        m_total += end - start;
        return;
    }
    // Merge every touching range into the first one.
    const uint64_t newStart = std::min(start, it->first);
    uint64_t newEnd = std::max(end, it->second);
    m_total -= it->second - it->first;
    auto keep = it;
    ++it;
    while (it != m_ranges.end() && it->first <= newEnd)
    {
        newEnd = std::max(newEnd, it->second);
        m_total -= it->second - it->first;
        it = EraseNode(it);
    }
    keep->second = newEnd;
    if (keep->first != newStart)
    {
        // No range lies between newStart and keep->first: re-keying keeps the order.
        Rekey(keep, newStart);
    }
    m_total += newEnd - newStart;
}

void
QuicRangeSet::Remove(uint64_t start, uint64_t end)
{
    if (start >= end || m_ranges.empty())
    {
        return;
    }
    auto it = m_ranges.upper_bound(start);
    if (it != m_ranges.begin() && std::prev(it)->second > start)
    {
        --it;
    }
    while (it != m_ranges.end() && it->first < end)
    {
        const uint64_t rs = it->first;
        const uint64_t re = it->second;
        if (rs < start)
        {
            if (re > end)
            {
                // Split [rs, re) into [rs, start) and [end, re).
                it->second = start;
                InsertNode(end, re);
                m_total -= end - start;
                return;
            }
            it->second = start;
            m_total -= re - start;
            ++it;
            continue;
        }
        if (re > end)
        {
            // Trim the front: [end, re) remains.
            m_total -= end - rs;
            Rekey(it, end);
            return;
        }
        m_total -= re - rs;
        it = EraseNode(it);
    }
}

bool
QuicRangeSet::Contains(uint64_t start, uint64_t end) const
{
    if (start >= end)
    {
        return true;
    }
    auto it = FirstTouching(start);
    return it != m_ranges.end() && it->first <= start && it->second >= end;
}

void
QuicRangeSet::PopFront()
{
    NS_ASSERT(!m_ranges.empty());
    auto it = m_ranges.begin();
    m_total -= it->second - it->first;
    EraseNode(it);
}

void
QuicRangeSet::Clear()
{
    auto it = m_ranges.begin();
    while (it != m_ranges.end() && m_spare.size() < SPARE_NODES)
    {
        it = EraseNode(it);
    }
    m_ranges.clear();
    m_total = 0;
}

// ---------------------------------------------------------------------------
// Flow control
// ---------------------------------------------------------------------------

QuicSendFlowControl::QuicSendFlowControl(uint64_t initialLimit)
    : m_limit(initialLimit)
{
}

bool
QuicSendFlowControl::OnLimit(uint64_t limit)
{
    if (limit <= m_limit)
    {
        return false; // §4.1: ignore limits that do not increase
    }
    m_limit = limit;
    m_blocked = false;
    return true;
}

void
QuicSendFlowControl::Consume(uint64_t n)
{
    NS_ASSERT_MSG(n <= GetAvailable(), "consuming more credit than available");
    m_used += std::min(n, GetAvailable());
}

void
QuicSendFlowControl::SetBlocked()
{
    if (GetAvailable() == 0)
    {
        m_blocked = true;
    }
}

uint64_t
QuicSendFlowControl::TakeBlocked()
{
    m_blockedSent = true;
    m_blockedSentLimit = m_limit;
    return m_limit;
}

void
QuicSendFlowControl::OnBlockedLost(uint64_t limit)
{
    if (m_blocked && limit == m_limit && m_blockedSentLimit == limit)
    {
        m_blockedSent = false;
    }
}

QuicReceiveFlowControl::QuicReceiveFlowControl(uint64_t window,
                                               uint64_t maxWindow,
                                               uint64_t maxLimit)
    : m_window(std::min(window, maxLimit)),
      m_maxWindow(std::min(std::max(maxWindow, window), maxLimit)),
      m_maxLimit(maxLimit),
      m_limit(std::min(window, maxLimit))
{
}

QuicTransportError
QuicReceiveFlowControl::AddReceived(uint64_t delta)
{
    if (delta > m_limit - m_received)
    {
        return QuicTransportError::FLOW_CONTROL_ERROR;
    }
    m_received += delta;
    return QuicTransportError::NO_ERROR;
}

void
QuicReceiveFlowControl::AddConsumed(uint64_t n)
{
    NS_ASSERT_MSG(n <= m_received - m_consumed, "consuming more than received");
    m_consumed += std::min(n, m_received - m_consumed);
}

uint64_t
QuicReceiveFlowControl::NextLimit() const
{
    return std::min(m_consumed + m_window, m_maxLimit);
}

bool
QuicReceiveFlowControl::ShouldSendUpdate() const
{
    if (m_closed)
    {
        return false;
    }
    if (m_resend)
    {
        return true;
    }
    const uint64_t next = NextLimit();
    if (next <= m_limit)
    {
        return false;
    }
    return m_forced || next - m_limit >= std::max<uint64_t>(m_window / 2, 1);
}

uint64_t
QuicReceiveFlowControl::TakeUpdate(Time now, Time rtt)
{
    if (!m_resend && m_maxWindow > m_window && rtt.IsStrictlyPositive() &&
        !m_lastUpdate.IsStrictlyNegative() && now - m_lastUpdate < rtt + rtt)
    {
        // Half a window drained in under two RTTs: the window limits the sender.
        m_window = std::min(2 * m_window, m_maxWindow);
    }
    m_lastUpdate = now;
    m_limit = std::max(m_limit, NextLimit());
    m_resend = false;
    m_forced = false;
    return m_limit;
}

void
QuicReceiveFlowControl::OnUpdateLost(uint64_t limit)
{
    if (!m_closed && limit == m_limit)
    {
        m_resend = true;
    }
}

void
QuicReceiveFlowControl::OnPeerBlocked(uint64_t limit)
{
    if (limit >= m_limit)
    {
        m_forced = true;
    }
}

QuicLocalStreamLimit::QuicLocalStreamLimit(uint64_t peerMaxStreams)
    : m_credit(std::min(peerMaxStreams, QUIC_MAX_STREAMS_LIMIT))
{
}

bool
QuicLocalStreamLimit::Open(uint64_t& index)
{
    if (!CanOpen())
    {
        m_credit.SetBlocked();
        return false;
    }
    index = m_credit.GetUsed();
    m_credit.Consume(1);
    return true;
}

QuicTransportError
QuicLocalStreamLimit::OnMaxStreams(uint64_t maxStreams)
{
    if (maxStreams > QUIC_MAX_STREAMS_LIMIT)
    {
        return QuicTransportError::FRAME_ENCODING_ERROR;
    }
    m_credit.OnLimit(maxStreams);
    return QuicTransportError::NO_ERROR;
}

QuicPeerStreamLimit::QuicPeerStreamLimit(uint64_t maxStreams)
    : m_credit(std::min(maxStreams, QUIC_MAX_STREAMS_LIMIT), 0, QUIC_MAX_STREAMS_LIMIT)
{
}

void
QuicPeerStreamLimit::OnOpened(uint64_t index)
{
    NS_ASSERT(index < GetLimit());
    if (index + 1 > GetOpened())
    {
        m_credit.AddReceived(index + 1 - GetOpened());
    }
}

QuicTransportError
QuicPeerStreamLimit::OnPeerBlocked(uint64_t limit)
{
    if (limit > QUIC_MAX_STREAMS_LIMIT)
    {
        return QuicTransportError::STREAM_LIMIT_ERROR;
    }
    m_credit.OnPeerBlocked(limit);
    return QuicTransportError::NO_ERROR;
}

// ---------------------------------------------------------------------------
// QuicSendStream
// ---------------------------------------------------------------------------

QuicSendStream::QuicSendStream(uint64_t id, uint64_t initialMaxStreamData, uint64_t sendBufferSize)
    : m_id(id),
      m_flow(initialMaxStreamData),
      m_bufferLimit(sendBufferSize)
{
}

void
QuicSendStream::Notify()
{
    if (m_owner && m_owner->m_manager)
    {
        m_owner->m_manager->Reschedule(m_owner);
    }
}

uint64_t
QuicSendStream::GetWritableBytes() const
{
    if (!CanSendNewData() || m_finRequested || m_payload == PAYLOAD_VIRTUAL)
    {
        return 0;
    }
    const uint64_t held = m_writeOffset - m_ackedPrefix;
    const uint64_t space = held < m_bufferLimit ? m_bufferLimit - held : 0;
    return std::min(space, QUIC_VARINT_MAX - m_writeOffset);
}

void
QuicSendStream::EnsureCapacity(uint64_t need)
{
    if (need <= m_buffer.size())
    {
        return;
    }
    uint64_t cap = std::max<uint64_t>(2 * m_buffer.size(), QuicReceiveStream::MIN_BUFFER);
    cap = std::min(std::max(cap, need), std::max(m_bufferLimit, need));
    std::vector<uint8_t> grown(cap);
    RingMove(m_buffer, grown, m_ackedPrefix, m_writeOffset - m_ackedPrefix);
    m_buffer.swap(grown);
}

size_t
QuicSendStream::Write(const uint8_t* data, size_t length)
{
    if (length == 0 || data == nullptr)
    {
        return 0;
    }
    const uint64_t n = std::min<uint64_t>(length, GetWritableBytes());
    if (n == 0)
    {
        return 0;
    }
    m_payload = PAYLOAD_REAL;
    EnsureCapacity(m_writeOffset + n - m_ackedPrefix);
    RingWrite(m_buffer, m_writeOffset, data, n);
    m_writeOffset += n;
    UpdateBlocked();
    Notify();
    return static_cast<size_t>(n);
}

uint64_t
QuicSendStream::WriteVirtual(uint64_t length)
{
    if (length == 0 || !CanSendNewData() || m_finRequested || m_payload == PAYLOAD_REAL)
    {
        return 0;
    }
    m_payload = PAYLOAD_VIRTUAL;
    const uint64_t n = std::min(length, QUIC_VARINT_MAX - m_writeOffset);
    m_writeOffset += n;
    UpdateBlocked();
    Notify();
    return n;
}

bool
QuicSendStream::Finish()
{
    if (m_finRequested || !CanSendNewData())
    {
        return false;
    }
    m_finRequested = true;
    Notify();
    return true;
}

bool
QuicSendStream::Reset(uint64_t applicationErrorCode)
{
    if (m_state == RESET_SENT || m_state == RESET_RECVD || m_state == DATA_RECVD)
    {
        return false;
    }
    NS_LOG_LOGIC("stream " << m_id << " reset, code " << applicationErrorCode << " final size "
                           << m_sendOffset);
    m_state = RESET_SENT;
    m_resetErrorCode = applicationErrorCode;
    m_resetFinalSize = m_sendOffset; // §4.5: the bytes sent so far
    m_resetPending = true;
    ReleaseData();
    Notify();
    return true;
}

void
QuicSendStream::ReleaseData()
{
    m_lost.Clear();
    m_acked.Clear();
    m_finLost = false;
    std::vector<uint8_t>().swap(m_buffer);
}

void
QuicSendStream::OnMaxStreamData(uint64_t maxStreamData)
{
    if (m_flow.OnLimit(maxStreamData))
    {
        UpdateBlocked();
        Notify();
    }
}

void
QuicSendStream::OnStopSending(uint64_t applicationErrorCode)
{
    if (!m_stopSendingCode)
    {
        m_stopSendingCode = applicationErrorCode;
    }
    // §3.5: MUST reset in Ready/Send; in Data Sent we may defer but reset at once.
    if (CanSendData())
    {
        Reset(applicationErrorCode);
    }
}

void
QuicSendStream::UpdateBlocked()
{
    if (!CanSendNewData() || m_writeOffset <= m_sendOffset)
    {
        return;
    }
    if (m_flow.GetAvailable() == 0)
    {
        m_flow.SetBlocked();
    }
    if (m_connection && m_connection->GetAvailable() == 0)
    {
        m_connection->SetBlocked();
    }
}

bool
QuicSendStream::HasPriorityData() const
{
    if (!CanSendData())
    {
        return false;
    }
    return !m_lost.IsEmpty() || m_finLost ||
           (m_finRequested && !m_finSent && m_sendOffset == m_writeOffset);
}

bool
QuicSendStream::HasNewData() const
{
    return CanSendNewData() && m_writeOffset > m_sendOffset && m_flow.GetAvailable() > 0;
}

bool
QuicSendStream::NextChunk(uint64_t maxLength, QuicStreamChunk& chunk)
{
    if (!CanSendData())
    {
        return false;
    }
    chunk.streamId = m_id;
    chunk.fin = false;
    chunk.retransmission = false;

    // 1. Lost ranges, lowest first: exactly the lost bytes.
    if (!m_lost.IsEmpty())
    {
        if (maxLength == 0)
        {
            return false;
        }
        const auto range = m_lost.Front();
        const uint64_t len = std::min(range.second - range.first, maxLength);
        if (len == range.second - range.first)
        {
            m_lost.PopFront();
        }
        else
        {
            m_lost.Remove(range.first, range.first + len);
        }
        chunk.offset = range.first;
        chunk.length = len;
        chunk.retransmission = true;
        if (m_finLost && range.first + len == m_writeOffset)
        {
            chunk.fin = true;
            m_finLost = false;
        }
        m_retransmitted += len;
        return true;
    }
    // 2. A FIN whose frame was lost, alone.
    if (m_finLost)
    {
        chunk.offset = m_writeOffset;
        chunk.length = 0;
        chunk.fin = true;
        chunk.retransmission = true;
        m_finLost = false;
        return true;
    }
    // 3. New data within stream and connection credit.
    if (!CanSendNewData())
    {
        return false;
    }
    const uint64_t pending = m_writeOffset - m_sendOffset;
    uint64_t credit = m_flow.GetAvailable();
    if (m_connection)
    {
        credit = std::min(credit, m_connection->GetAvailable());
    }
    const uint64_t len = std::min({pending, credit, maxLength});
    const bool fin = m_finRequested && m_sendOffset + len == m_writeOffset;
    if (len == 0 && !fin)
    {
        UpdateBlocked();
        return false;
    }
    chunk.offset = m_sendOffset;
    chunk.length = len;
    chunk.fin = fin;
    m_sendOffset += len;
    m_flow.Consume(len);
    if (m_connection)
    {
        m_connection->Consume(len);
    }
    if (m_state == READY)
    {
        m_state = SEND;
    }
    if (fin)
    {
        m_finSent = true;
        m_state = DATA_SENT;
    }
    UpdateBlocked();
    return true;
}

bool
QuicSendStream::CopyData(uint64_t offset, uint8_t* dst, uint64_t length) const
{
    if (length == 0)
    {
        return true;
    }
    if (offset > m_writeOffset || length > m_writeOffset - offset)
    {
        return false;
    }
    if (m_payload == PAYLOAD_VIRTUAL)
    {
        QuicStreamPattern::Fill(offset, dst, length);
        return true;
    }
    if (m_payload != PAYLOAD_REAL || offset < m_ackedPrefix || m_buffer.empty())
    {
        return false;
    }
    RingRead(m_buffer, offset, dst, length);
    return true;
}

void
QuicSendStream::OnChunkAcked(uint64_t offset, uint64_t length, bool fin)
{
    if (!CanSendData())
    {
        return; // reset, or everything already acknowledged
    }
    if (fin)
    {
        m_finAcked = true;
        m_finLost = false;
    }
    const uint64_t end = std::min(offset + length, m_sendOffset); // only bytes sent
    if (end > m_ackedPrefix)
    {
        if (!m_lost.IsEmpty())
        {
            m_lost.Remove(offset, end); // a spurious loss: do not resend
        }
        if (offset <= m_ackedPrefix)
        {
            m_ackedPrefix = end;
            while (!m_acked.IsEmpty() && m_acked.Front().first <= m_ackedPrefix)
            {
                m_ackedPrefix = std::max(m_ackedPrefix, m_acked.Front().second);
                m_acked.PopFront();
            }
        }
        else
        {
            m_acked.Add(offset, end);
        }
    }
    CheckAllAcked();
    Notify();
}

void
QuicSendStream::CheckAllAcked()
{
    if (m_state == DATA_SENT && m_finAcked && m_ackedPrefix >= m_writeOffset)
    {
        NS_LOG_LOGIC("stream " << m_id << ": all " << m_writeOffset << " bytes acknowledged");
        m_state = DATA_RECVD;
        ReleaseData();
    }
}

void
QuicSendStream::OnChunkLost(uint64_t offset, uint64_t length, bool fin)
{
    if (!CanSendData())
    {
        return;
    }
    if (fin && !m_finAcked)
    {
        m_finLost = true;
    }
    const uint64_t start = std::max(offset, m_ackedPrefix);
    const uint64_t end = std::min(offset + length, m_sendOffset); // only bytes sent
    if (start < end)
    {
        if (m_acked.IsEmpty())
        {
            m_lost.Add(start, end);
        }
        else
        {
            m_acked.VisitGaps(start, end, [this](uint64_t a, uint64_t b) { m_lost.Add(a, b); });
        }
    }
    Notify();
}

bool
QuicSendStream::ShouldSendStreamDataBlocked() const
{
    return CanSendNewData() && m_writeOffset > m_sendOffset && m_flow.ShouldSendBlocked();
}

uint64_t
QuicSendStream::TakeStreamDataBlocked()
{
    if (m_state == READY)
    {
        m_state = SEND; // §3.1: STREAM_DATA_BLOCKED also opens the stream
    }
    return m_flow.TakeBlocked();
}

void
QuicSendStream::OnStreamDataBlockedLost(uint64_t limit)
{
    m_flow.OnBlockedLost(limit);
    Notify();
}

void
QuicSendStream::TakeResetStream(uint64_t& applicationErrorCode, uint64_t& finalSize)
{
    m_resetPending = false;
    applicationErrorCode = m_resetErrorCode;
    finalSize = m_resetFinalSize;
}

void
QuicSendStream::OnResetStreamAcked()
{
    if (m_state == RESET_SENT)
    {
        m_state = RESET_RECVD;
        m_resetPending = false;
        Notify();
    }
}

void
QuicSendStream::OnResetStreamLost()
{
    if (m_state == RESET_SENT)
    {
        m_resetPending = true;
        Notify();
    }
}

// ---------------------------------------------------------------------------
// QuicReceiveStream
// ---------------------------------------------------------------------------

QuicReceiveStream::QuicReceiveStream(uint64_t id, uint64_t window, uint64_t maxWindow)
    : m_id(id),
      m_flow(window, maxWindow)
{
}

void
QuicReceiveStream::Notify()
{
    if (m_owner && m_owner->m_manager)
    {
        m_owner->m_manager->Reschedule(m_owner);
    }
}

void
QuicReceiveStream::SetDiscardPayload(bool discard)
{
    if (discard && !m_discard)
    {
        m_discard = true;
        Consume(m_contiguousEnd - m_readOffset);
        std::vector<uint8_t>().swap(m_buffer);
        CheckComplete();
        Notify();
    }
    else if (!discard && !m_stopSendingRequested && m_ranges.IsEmpty())
    {
        // Only while nothing out of order was dropped; the ring starts at the read offset.
        m_discard = false;
    }
}

void
QuicReceiveStream::EnsureCapacity(uint64_t end)
{
    const uint64_t need = end - m_readOffset;
    if (need <= m_buffer.size())
    {
        return;
    }
    // Grow by doubling, but never beyond what the advertised limit lets the peer fill.
    uint64_t cap = std::max<uint64_t>(2 * m_buffer.size(), MIN_BUFFER);
    cap = std::max(cap, need);
    cap = std::min(cap, std::max(need, m_flow.GetLimit() - m_readOffset));
    std::vector<uint8_t> grown(cap);
    const uint64_t live = std::min<uint64_t>(m_buffer.size(), m_highest - m_readOffset);
    RingMove(m_buffer, grown, m_readOffset, live);
    m_buffer.swap(grown);
}

void
QuicReceiveStream::Inspect(uint64_t offset, const uint8_t* data, uint64_t length)
{
    NS_ASSERT(data != nullptr);
    if (m_checksumEnabled)
    {
        m_checksum.Add(offset, data, length);
    }
    if (m_verifyPattern && !QuicStreamPattern::Matches(offset, data, length))
    {
        ++m_patternMismatches;
    }
}

void
QuicReceiveStream::Store(uint64_t offset, const uint8_t* data, uint64_t length)
{
    Inspect(offset, data, length);
    if (!m_discard)
    {
        EnsureCapacity(offset + length);
        RingWrite(m_buffer, offset, data, length);
    }
}

QuicTransportError
QuicReceiveStream::OnStreamFrame(uint64_t offset, const uint8_t* data, uint64_t length, bool fin)
{
    return DoStreamFrame(offset, data, length, fin, nullptr, nullptr);
}

QuicTransportError
QuicReceiveStream::OnStreamFrame(uint64_t offset,
                                 const uint8_t* data,
                                 uint64_t length,
                                 bool fin,
                                 const uint8_t*& direct,
                                 uint64_t& directLength)
{
    direct = nullptr;
    directLength = 0;
    return DoStreamFrame(offset, data, length, fin, &direct, &directLength);
}

QuicTransportError
QuicReceiveStream::DoStreamFrame(uint64_t offset,
                                 const uint8_t* data,
                                 uint64_t length,
                                 bool fin,
                                 const uint8_t** direct,
                                 uint64_t* directLength)
{
    if (offset > QUIC_VARINT_MAX || length > QUIC_VARINT_MAX - offset)
    {
        return QuicTransportError::FLOW_CONTROL_ERROR; // §19.8: beyond 2^62-1
    }
    if (length > 0 && data == nullptr)
    {
        return QuicTransportError::INTERNAL_ERROR;
    }
    const uint64_t end = offset + length;
    // §4.5 final size rules.
    if (m_finalKnown)
    {
        if (end > m_finalSize || (fin && end != m_finalSize))
        {
            NS_LOG_LOGIC("stream " << m_id << ": data to " << end << " vs final size "
                                   << m_finalSize);
            return QuicTransportError::FINAL_SIZE_ERROR;
        }
    }
    else if (fin && end < m_highest)
    {
        NS_LOG_LOGIC("stream " << m_id << ": FIN at " << end << " below received " << m_highest);
        return QuicTransportError::FINAL_SIZE_ERROR;
    }
    // §4.1 flow control: stream, then connection.
    if (end > m_flow.GetLimit())
    {
        NS_LOG_LOGIC("stream " << m_id << ": data to " << end << " beyond limit "
                               << m_flow.GetLimit());
        return QuicTransportError::FLOW_CONTROL_ERROR;
    }
    const uint64_t delta = end > m_highest ? end - m_highest : 0;
    if (delta > 0)
    {
        if (m_connection && m_connection->AddReceived(delta) != QuicTransportError::NO_ERROR)
        {
            NS_LOG_LOGIC("stream " << m_id << ": connection flow control exceeded");
            return QuicTransportError::FLOW_CONTROL_ERROR;
        }
        m_flow.AddReceived(delta);
        m_highest = end;
    }
    if (fin && !m_finalKnown)
    {
        m_finalKnown = true;
        m_finalSize = end;
        m_flow.Close(); // §3.2 Size Known: no more MAX_STREAM_DATA
        if (m_state == RECV)
        {
            m_state = SIZE_KNOWN;
        }
    }
    if (m_state != RECV && m_state != SIZE_KNOWN)
    {
        m_duplicate += length; // all data already here, or reset: drop
        return QuicTransportError::NO_ERROR;
    }
    // Clip to bytes not seen before and store each new piece once.
    const uint64_t start = std::max(offset, m_contiguousEnd);
    if (start < end)
    {
        const uint8_t* p = data + (start - offset);
        uint64_t fresh = 0;
        if (m_ranges.IsEmpty() && direct != nullptr && !m_discard && start == m_readOffset)
        {
            // Nothing unread before these bytes and nothing buffered after them: the caller
            // hands them to the application from the packet, without a copy into the buffer
            // and another out of it. They are read (consumed) below, once accounted for.
            Inspect(start, p, end - start);
            *direct = p;
            *directLength = end - start;
            fresh = end - start;
        }
        else if (m_ranges.IsEmpty())
        {
            Store(start, p, end - start);
            fresh = end - start;
        }
        else
        {
            m_ranges.VisitGaps(start, end, [&](uint64_t a, uint64_t b) {
                Store(a, p + (a - start), b - a);
                fresh += b - a;
            });
        }
        m_unique += fresh;
        m_duplicate += length - fresh;
        if (start == m_contiguousEnd)
        {
            m_contiguousEnd = end;
            while (!m_ranges.IsEmpty() && m_ranges.Front().first <= m_contiguousEnd)
            {
                m_contiguousEnd = std::max(m_contiguousEnd, m_ranges.Front().second);
                m_ranges.PopFront();
            }
        }
        else
        {
            m_ranges.Add(start, end);
        }
        if (m_discard)
        {
            Consume(m_contiguousEnd - m_readOffset);
        }
        else if (directLength != nullptr && *directLength > 0)
        {
            Consume(*directLength);
        }
    }
    else
    {
        m_duplicate += length;
    }
    CheckComplete();
    Notify();
    return QuicTransportError::NO_ERROR;
}

void
QuicReceiveStream::Consume(uint64_t n)
{
    if (n == 0)
    {
        return;
    }
    m_readOffset += n;
    if (!m_stopSendingRequested)
    {
        m_delivered += n;
    }
    m_flow.AddConsumed(n);
    if (m_connection)
    {
        m_connection->AddConsumed(n);
    }
}

void
QuicReceiveStream::CheckComplete()
{
    if (m_finalKnown && m_contiguousEnd == m_finalSize &&
        (m_state == RECV || m_state == SIZE_KNOWN))
    {
        m_state = DATA_RECVD;
    }
    if (m_state == DATA_RECVD && m_readOffset == m_finalSize)
    {
        m_state = DATA_READ;
        std::vector<uint8_t>().swap(m_buffer);
    }
}

void
QuicReceiveStream::Abandon()
{
    // Everything up to the final size (or what arrived) counts as consumed: the
    // connection gets its credit back (§4.5: the final size is charged in full).
    const uint64_t target = m_finalKnown ? m_finalSize : m_highest;
    const uint64_t n = target - m_readOffset;
    m_readOffset = target;
    m_flow.AddConsumed(n);
    if (m_connection)
    {
        m_connection->AddConsumed(n);
    }
    m_contiguousEnd = std::max(m_contiguousEnd, target);
    m_ranges.Clear();
    std::vector<uint8_t>().swap(m_buffer);
}

QuicTransportError
QuicReceiveStream::OnResetStream(uint64_t applicationErrorCode, uint64_t finalSize)
{
    if (m_finalKnown && finalSize != m_finalSize)
    {
        return QuicTransportError::FINAL_SIZE_ERROR;
    }
    if (finalSize < m_highest)
    {
        return QuicTransportError::FINAL_SIZE_ERROR;
    }
    if (finalSize > m_flow.GetLimit())
    {
        return QuicTransportError::FLOW_CONTROL_ERROR;
    }
    const uint64_t delta = finalSize - m_highest;
    if (delta > 0)
    {
        if (m_connection && m_connection->AddReceived(delta) != QuicTransportError::NO_ERROR)
        {
            return QuicTransportError::FLOW_CONTROL_ERROR;
        }
        m_flow.AddReceived(delta);
        m_highest = finalSize;
    }
    m_finalKnown = true;
    m_finalSize = finalSize;
    m_flow.Close();
    if (m_state == RECV || m_state == SIZE_KNOWN)
    {
        NS_LOG_LOGIC("stream " << m_id << " reset by peer, code " << applicationErrorCode);
        m_state = RESET_RECVD;
        m_resetErrorCode = applicationErrorCode;
        m_stopSendingPending = false;
        Abandon();
        if (m_discard)
        {
            m_state = RESET_READ; // nobody to tell
        }
    }
    // In Data Recvd the reset is not signalled (§3.2 allows suppressing it).
    Notify();
    return QuicTransportError::NO_ERROR;
}

void
QuicReceiveStream::OnStreamDataBlocked(uint64_t limit)
{
    m_flow.OnPeerBlocked(limit);
    Notify();
}

size_t
QuicReceiveStream::Read(uint8_t* dst, size_t maxLength)
{
    if (m_state == RESET_RECVD)
    {
        m_state = RESET_READ;
        Notify();
        return 0;
    }
    if (m_discard || dst == nullptr)
    {
        return 0;
    }
    const uint64_t n = std::min<uint64_t>(maxLength, m_contiguousEnd - m_readOffset);
    if (n == 0)
    {
        return 0;
    }
    RingRead(m_buffer, m_readOffset, dst, n);
    Consume(n);
    CheckComplete();
    Notify();
    return static_cast<size_t>(n);
}

uint64_t
QuicReceiveStream::Skip(uint64_t maxLength)
{
    if (m_state == RESET_RECVD)
    {
        m_state = RESET_READ;
        Notify();
        return 0;
    }
    if (m_discard)
    {
        return 0;
    }
    const uint64_t n = std::min(maxLength, m_contiguousEnd - m_readOffset);
    if (n == 0)
    {
        return 0;
    }
    Consume(n);
    CheckComplete();
    Notify();
    return n;
}

bool
QuicReceiveStream::StopSending(uint64_t applicationErrorCode)
{
    if ((m_state != RECV && m_state != SIZE_KNOWN) || m_stopSendingRequested)
    {
        return false;
    }
    m_stopSendingRequested = true;
    m_stopSendingPending = true;
    m_stopSendingCode = applicationErrorCode;
    // From now on: count for flow control, keep reassembly state, drop payload (§3.5).
    m_discard = true;
    m_checksumEnabled = false;
    m_verifyPattern = false;
    Consume(m_contiguousEnd - m_readOffset);
    std::vector<uint8_t>().swap(m_buffer);
    m_flow.Close();
    CheckComplete();
    Notify();
    return true;
}

bool
QuicReceiveStream::ShouldSendMaxStreamData() const
{
    return m_state == RECV && !m_stopSendingRequested && m_flow.ShouldSendUpdate();
}

uint64_t
QuicReceiveStream::TakeMaxStreamData(Time now, Time rtt)
{
    return m_flow.TakeUpdate(now, rtt);
}

void
QuicReceiveStream::OnMaxStreamDataLost(uint64_t limit)
{
    m_flow.OnUpdateLost(limit);
    Notify();
}

uint64_t
QuicReceiveStream::TakeStopSending()
{
    m_stopSendingPending = false;
    return m_stopSendingCode;
}

void
QuicReceiveStream::OnStopSendingLost()
{
    if (m_stopSendingRequested && (m_state == RECV || m_state == SIZE_KNOWN))
    {
        m_stopSendingPending = true;
        Notify();
    }
}

// ---------------------------------------------------------------------------
// QuicStream
// ---------------------------------------------------------------------------

bool
QuicStream::IsClosed() const
{
    return (!m_send || m_send->IsTerminal()) && (!m_receive || m_receive->IsTerminal());
}

bool
QuicStream::HasPendingControl() const
{
    if (m_send && (m_send->ShouldSendResetStream() || m_send->ShouldSendStreamDataBlocked()))
    {
        return true;
    }
    return m_receive &&
           (m_receive->ShouldSendStopSending() || m_receive->ShouldSendMaxStreamData());
}

// ---------------------------------------------------------------------------
// QuicStreamManager
// ---------------------------------------------------------------------------

QuicStreamManager::QuicStreamManager(const QuicStreamManagerConfig& config)
    : m_config(config),
      m_flow(0, config.local.maxData, config.maxConnectionWindow),
      m_localBidi(0),
      m_localUni(0),
      m_peerBidi(config.local.maxStreamsBidi),
      m_peerUni(config.local.maxStreamsUni)
{
    NS_LOG_FUNCTION(this);
}

QuicStreamManager::~QuicStreamManager() = default;

QuicTransportError
QuicStreamManager::SetPeerLimits(const QuicStreamLimits& peer)
{
    if (peer.maxStreamsBidi > QUIC_MAX_STREAMS_LIMIT || peer.maxStreamsUni > QUIC_MAX_STREAMS_LIMIT)
    {
        return QuicTransportError::TRANSPORT_PARAMETER_ERROR;
    }
    m_peer = peer;
    m_flow.GetSendSide().OnLimit(peer.maxData);
    m_localBidi.OnMaxStreams(peer.maxStreamsBidi);
    m_localUni.OnMaxStreams(peer.maxStreamsUni);
    for (auto& entry : m_streams)
    {
        if (entry.second->m_send)
        {
            entry.second->m_send->OnMaxStreamData(PeerSendCredit(entry.first));
        }
    }
    return QuicTransportError::NO_ERROR;
}

uint64_t
QuicStreamManager::LocalReceiveWindow(uint64_t id) const
{
    if (!QuicStreamIdIsBidirectional(id))
    {
        return m_config.local.maxStreamDataUni;
    }
    return QuicStreamIdIsLocal(id, m_config.role) ? m_config.local.maxStreamDataBidiLocal
                                                  : m_config.local.maxStreamDataBidiRemote;
}

uint64_t
QuicStreamManager::PeerSendCredit(uint64_t id) const
{
    if (!QuicStreamIdIsBidirectional(id))
    {
        return m_peer.maxStreamDataUni;
    }
    // The peer's "bidi_local" applies to streams it initiated, "bidi_remote" to ours.
    return QuicStreamIdIsLocal(id, m_config.role) ? m_peer.maxStreamDataBidiRemote
                                                  : m_peer.maxStreamDataBidiLocal;
}

QuicStream*
QuicStreamManager::CreateStream(uint64_t id)
{
    std::unique_ptr<QuicStream> stream(new QuicStream(id, this));
    if (QuicStreamIdCanSend(id, m_config.role))
    {
        stream->m_send.emplace(id, PeerSendCredit(id), m_config.sendBufferSize);
        stream->m_send->m_owner = stream.get();
        stream->m_send->SetConnectionFlowControl(&m_flow.GetSendSide());
    }
    if (QuicStreamIdCanReceive(id, m_config.role))
    {
        stream->m_receive.emplace(id, LocalReceiveWindow(id), m_config.maxStreamWindow);
        stream->m_receive->m_owner = stream.get();
        stream->m_receive->SetConnectionFlowControl(&m_flow.GetReceiveSide());
        stream->m_receive->SetDiscardPayload(m_config.discardReceivedPayload);
        stream->m_receive->SetChecksumEnabled(m_config.checksumReceivedPayload);
        stream->m_receive->SetVerifyPattern(m_config.verifyReceivedPattern);
    }
    QuicStream* raw = stream.get();
    m_streams.emplace(id, std::move(stream));
    NS_LOG_LOGIC("stream " << id << " created");
    return raw;
}

QuicStream*
QuicStreamManager::OpenStream(QuicStreamDirection direction)
{
    QuicLocalStreamLimit& limit =
        direction == QuicStreamDirection::BIDIRECTIONAL ? m_localBidi : m_localUni;
    uint64_t index;
    if (!limit.Open(index))
    {
        return nullptr;
    }
    return CreateStream(QuicStreamIdMake(m_config.role, direction, index));
}

QuicStream*
QuicStreamManager::GetStream(uint64_t id)
{
    return Find(id);
}

QuicStream*
QuicStreamManager::Find(uint64_t id)
{
    // Consecutive frames and packets almost always concern the same stream: one remembered
    // lookup saves the hash table's (division-based) bucket search on each of them.
    if (m_lastFound != nullptr && m_lastFoundId == id)
    {
        return m_lastFound;
    }
    auto it = m_streams.find(id);
    if (it == m_streams.end())
    {
        return nullptr;
    }
    m_lastFoundId = id;
    m_lastFound = it->second.get();
    return m_lastFound;
}

QuicStream*
QuicStreamManager::AcceptStream()
{
    QuicStream* s = m_queues[QuicStream::QUEUE_ACCEPT].head;
    if (s)
    {
        Unlink(QuicStream::QUEUE_ACCEPT, s);
        Reschedule(s);
    }
    return s;
}

size_t
QuicStreamManager::RemoveClosedStreams()
{
    size_t removed = 0;
    while (QuicStream* s = m_queues[QuicStream::QUEUE_CLOSED].head)
    {
        for (uint8_t q = 0; q < QuicStream::QUEUE_COUNT; ++q)
        {
            Unlink(static_cast<QuicStream::Queue>(q), s);
        }
        const uint64_t id = s->m_id;
        if (!QuicStreamIdIsLocal(id, m_config.role))
        {
            (QuicStreamIdIsBidirectional(id) ? m_peerBidi : m_peerUni).OnClosed();
        }
        if (m_lastFound == s)
        {
            m_lastFound = nullptr;
        }
        m_streams.erase(id);
        ++removed;
    }
    return removed;
}

QuicTransportError
QuicStreamManager::GetStreamForPeerFrame(uint64_t id, QuicStreamFrameKind kind, QuicStream*& stream)
{
    stream = nullptr;
    const QuicTransportError err = QuicStreamIdCheckPeerFrame(id, kind, m_config.role);
    if (err != QuicTransportError::NO_ERROR)
    {
        NS_LOG_LOGIC("frame for stream " << id << " in the wrong direction");
        return err;
    }
    if (QuicStream* found = Find(id))
    {
        stream = found;
        return QuicTransportError::NO_ERROR;
    }
    const uint64_t index = QuicStreamIdIndex(id);
    const bool bidi = QuicStreamIdIsBidirectional(id);
    if (QuicStreamIdIsLocal(id, m_config.role))
    {
        const QuicLocalStreamLimit& limit = bidi ? m_localBidi : m_localUni;
        if (index >= limit.GetOpened())
        {
            NS_LOG_LOGIC("frame for local stream " << id << " not yet created");
            return QuicTransportError::STREAM_STATE_ERROR; // §19.5, §19.8, §19.10
        }
        return QuicTransportError::NO_ERROR; // closed and removed: ignore
    }
    QuicPeerStreamLimit& limit = bidi ? m_peerBidi : m_peerUni;
    const QuicTransportError limitErr = limit.CheckIndex(index);
    if (limitErr != QuicTransportError::NO_ERROR)
    {
        NS_LOG_LOGIC("peer stream " << id << " above limit " << limit.GetLimit());
        return limitErr; // §4.6, §19.11
    }
    if (index < limit.GetOpened())
    {
        return QuicTransportError::NO_ERROR; // closed and removed: ignore
    }
    // §3.2: opening a stream opens all lower-numbered streams of its type.
    const QuicStreamInitiator peerRole = m_config.role == QuicStreamInitiator::CLIENT
                                             ? QuicStreamInitiator::SERVER
                                             : QuicStreamInitiator::CLIENT;
    const QuicStreamDirection direction = QuicStreamIdDirection(id);
    for (uint64_t i = limit.GetOpened(); i <= index; ++i)
    {
        stream = CreateStream(QuicStreamIdMake(peerRole, direction, i));
        Link(QuicStream::QUEUE_ACCEPT, stream);
    }
    limit.OnOpened(index);
    return QuicTransportError::NO_ERROR;
}

QuicTransportError
QuicStreamManager::OnStreamFrame(uint64_t id,
                                 uint64_t offset,
                                 const uint8_t* data,
                                 uint64_t length,
                                 bool fin)
{
    const uint8_t* direct = nullptr;
    uint64_t directLength = 0;
    return DoStreamFrame(id, offset, data, length, fin, direct, directLength, false);
}

QuicTransportError
QuicStreamManager::OnStreamFrame(uint64_t id,
                                 uint64_t offset,
                                 const uint8_t* data,
                                 uint64_t length,
                                 bool fin,
                                 const uint8_t*& direct,
                                 uint64_t& directLength)
{
    return DoStreamFrame(id, offset, data, length, fin, direct, directLength, true);
}

QuicTransportError
QuicStreamManager::DoStreamFrame(uint64_t id,
                                 uint64_t offset,
                                 const uint8_t* data,
                                 uint64_t length,
                                 bool fin,
                                 const uint8_t*& direct,
                                 uint64_t& directLength,
                                 bool allowDirect)
{
    direct = nullptr;
    directLength = 0;
    QuicStream* s;
    QuicTransportError err = GetStreamForPeerFrame(id, QuicStreamFrameKind::STREAM, s);
    if (err != QuicTransportError::NO_ERROR || !s)
    {
        return err;
    }
    err = allowDirect ? s->m_receive->OnStreamFrame(offset, data, length, fin, direct, directLength)
                      : s->m_receive->OnStreamFrame(offset, data, length, fin);
    Reschedule(s);
    return err;
}

QuicTransportError
QuicStreamManager::OnResetStream(uint64_t id, uint64_t applicationErrorCode, uint64_t finalSize)
{
    QuicStream* s;
    QuicTransportError err = GetStreamForPeerFrame(id, QuicStreamFrameKind::RESET_STREAM, s);
    if (err != QuicTransportError::NO_ERROR || !s)
    {
        return err;
    }
    err = s->m_receive->OnResetStream(applicationErrorCode, finalSize);
    Reschedule(s);
    return err;
}

QuicTransportError
QuicStreamManager::OnStopSending(uint64_t id, uint64_t applicationErrorCode)
{
    QuicStream* s;
    const QuicTransportError err = GetStreamForPeerFrame(id, QuicStreamFrameKind::STOP_SENDING, s);
    if (err != QuicTransportError::NO_ERROR || !s)
    {
        return err;
    }
    s->m_send->OnStopSending(applicationErrorCode);
    Reschedule(s);
    return QuicTransportError::NO_ERROR;
}

QuicTransportError
QuicStreamManager::OnMaxStreamData(uint64_t id, uint64_t maxStreamData)
{
    QuicStream* s;
    const QuicTransportError err =
        GetStreamForPeerFrame(id, QuicStreamFrameKind::MAX_STREAM_DATA, s);
    if (err != QuicTransportError::NO_ERROR || !s)
    {
        return err;
    }
    s->m_send->OnMaxStreamData(maxStreamData);
    Reschedule(s);
    return QuicTransportError::NO_ERROR;
}

QuicTransportError
QuicStreamManager::OnStreamDataBlocked(uint64_t id, uint64_t limit)
{
    QuicStream* s;
    const QuicTransportError err =
        GetStreamForPeerFrame(id, QuicStreamFrameKind::STREAM_DATA_BLOCKED, s);
    if (err != QuicTransportError::NO_ERROR || !s)
    {
        return err;
    }
    s->m_receive->OnStreamDataBlocked(limit);
    Reschedule(s);
    return QuicTransportError::NO_ERROR;
}

void
QuicStreamManager::OnMaxData(uint64_t maxData)
{
    m_flow.GetSendSide().OnLimit(maxData);
}

void
QuicStreamManager::OnDataBlocked(uint64_t limit)
{
    m_flow.GetReceiveSide().OnPeerBlocked(limit);
}

QuicTransportError
QuicStreamManager::OnMaxStreams(QuicStreamDirection direction, uint64_t maxStreams)
{
    return (direction == QuicStreamDirection::BIDIRECTIONAL ? m_localBidi : m_localUni)
        .OnMaxStreams(maxStreams);
}

QuicTransportError
QuicStreamManager::OnStreamsBlocked(QuicStreamDirection direction, uint64_t limit)
{
    return (direction == QuicStreamDirection::BIDIRECTIONAL ? m_peerBidi : m_peerUni)
        .OnPeerBlocked(limit);
}

bool
QuicStreamManager::HasStreamData() const
{
    return m_queues[QuicStream::QUEUE_PRIORITY].head != nullptr ||
           (m_queues[QuicStream::QUEUE_NEW].head != nullptr &&
            m_flow.GetSendSide().GetAvailable() > 0);
}

bool
QuicStreamManager::NextStreamChunk(uint64_t maxLength, QuicStreamChunk& chunk)
{
    if (maxLength == 0)
    {
        return false;
    }
    for (QuicStream::Queue q : {QuicStream::QUEUE_PRIORITY, QuicStream::QUEUE_NEW})
    {
        if (q == QuicStream::QUEUE_NEW && m_queues[q].head &&
            m_flow.GetSendSide().GetAvailable() == 0)
        {
            m_flow.GetSendSide().SetBlocked(); // DATA_BLOCKED, §4.1
            break;
        }
        while (QuicStream* s = m_queues[q].head)
        {
            if (s->m_send->NextChunk(maxLength, chunk))
            {
                Reschedule(s);
                if (m_queues[q].head == s)
                {
                    Rotate(q); // one chunk per turn
                }
                return true;
            }
            Unlink(q, s);
        }
    }
    return false;
}

bool
QuicStreamManager::CopyStreamData(const QuicStreamChunk& chunk, uint8_t* dst)
{
    QuicStream* s = GetStream(chunk.streamId);
    if (!s || !s->m_send)
    {
        return false;
    }
    return s->m_send->CopyData(chunk.offset, dst, chunk.length);
}

void
QuicStreamManager::OnStreamChunkAcked(const QuicStreamChunk& chunk)
{
    QuicStream* s = GetStream(chunk.streamId);
    if (s && s->m_send)
    {
        s->m_send->OnChunkAcked(chunk.offset, chunk.length, chunk.fin);
        Reschedule(s);
    }
}

void
QuicStreamManager::OnStreamChunkLost(const QuicStreamChunk& chunk)
{
    QuicStream* s = GetStream(chunk.streamId);
    if (s && s->m_send)
    {
        s->m_send->OnChunkLost(chunk.offset, chunk.length, chunk.fin);
        Reschedule(s);
    }
}

bool
QuicStreamManager::HasControlFrame() const
{
    return m_flow.GetReceiveSide().ShouldSendUpdate() || m_peerBidi.ShouldSendUpdate() ||
           m_peerUni.ShouldSendUpdate() || m_queues[QuicStream::QUEUE_CONTROL].head != nullptr ||
           m_flow.GetSendSide().ShouldSendBlocked() || m_localBidi.ShouldSendBlocked() ||
           m_localUni.ShouldSendBlocked();
}

bool
QuicStreamManager::TakeStreamControl(QuicStream* s,
                                     QuicStreamControlFrame& frame,
                                     Time now,
                                     Time rtt)
{
    frame.streamId = s->m_id;
    QuicSendStream* send = s->GetSendStream();
    QuicReceiveStream* recv = s->GetReceiveStream();
    if (send && send->ShouldSendResetStream())
    {
        frame.type = QuicStreamControlType::RESET_STREAM;
        send->TakeResetStream(frame.errorCode, frame.value);
        return true;
    }
    if (recv && recv->ShouldSendStopSending())
    {
        frame.type = QuicStreamControlType::STOP_SENDING;
        frame.errorCode = recv->TakeStopSending();
        return true;
    }
    if (recv && recv->ShouldSendMaxStreamData())
    {
        frame.type = QuicStreamControlType::MAX_STREAM_DATA;
        frame.value = recv->TakeMaxStreamData(now, rtt);
        return true;
    }
    if (send && send->ShouldSendStreamDataBlocked())
    {
        frame.type = QuicStreamControlType::STREAM_DATA_BLOCKED;
        frame.value = send->TakeStreamDataBlocked();
        return true;
    }
    return false;
}

bool
QuicStreamManager::NextControlFrame(QuicStreamControlFrame& frame, Time now, Time rtt)
{
    frame = QuicStreamControlFrame();
    if (m_flow.GetReceiveSide().ShouldSendUpdate())
    {
        frame.type = QuicStreamControlType::MAX_DATA;
        frame.value = m_flow.GetReceiveSide().TakeUpdate(now, rtt);
        return true;
    }
    if (m_peerBidi.ShouldSendUpdate())
    {
        frame.type = QuicStreamControlType::MAX_STREAMS_BIDI;
        frame.value = m_peerBidi.TakeUpdate();
        return true;
    }
    if (m_peerUni.ShouldSendUpdate())
    {
        frame.type = QuicStreamControlType::MAX_STREAMS_UNI;
        frame.value = m_peerUni.TakeUpdate();
        return true;
    }
    while (QuicStream* s = m_queues[QuicStream::QUEUE_CONTROL].head)
    {
        if (TakeStreamControl(s, frame, now, rtt))
        {
            Reschedule(s);
            if (m_queues[QuicStream::QUEUE_CONTROL].head == s)
            {
                Rotate(QuicStream::QUEUE_CONTROL);
            }
            return true;
        }
        Unlink(QuicStream::QUEUE_CONTROL, s);
    }
    frame.streamId = 0;
    if (m_flow.GetSendSide().ShouldSendBlocked())
    {
        frame.type = QuicStreamControlType::DATA_BLOCKED;
        frame.value = m_flow.GetSendSide().TakeBlocked();
        return true;
    }
    if (m_localBidi.ShouldSendBlocked())
    {
        frame.type = QuicStreamControlType::STREAMS_BLOCKED_BIDI;
        frame.value = m_localBidi.TakeBlocked();
        return true;
    }
    if (m_localUni.ShouldSendBlocked())
    {
        frame.type = QuicStreamControlType::STREAMS_BLOCKED_UNI;
        frame.value = m_localUni.TakeBlocked();
        return true;
    }
    return false;
}

void
QuicStreamManager::OnControlFrameAcked(const QuicStreamControlFrame& frame)
{
    if (frame.type != QuicStreamControlType::RESET_STREAM)
    {
        return;
    }
    QuicStream* s = GetStream(frame.streamId);
    if (s && s->m_send)
    {
        s->m_send->OnResetStreamAcked();
        Reschedule(s);
    }
}

void
QuicStreamManager::OnControlFrameLost(const QuicStreamControlFrame& frame)
{
    switch (frame.type)
    {
    case QuicStreamControlType::MAX_DATA:
        m_flow.GetReceiveSide().OnUpdateLost(frame.value);
        return;
    case QuicStreamControlType::MAX_STREAMS_BIDI:
        m_peerBidi.OnUpdateLost(frame.value);
        return;
    case QuicStreamControlType::MAX_STREAMS_UNI:
        m_peerUni.OnUpdateLost(frame.value);
        return;
    case QuicStreamControlType::DATA_BLOCKED:
        m_flow.GetSendSide().OnBlockedLost(frame.value);
        return;
    case QuicStreamControlType::STREAMS_BLOCKED_BIDI:
        m_localBidi.OnBlockedLost(frame.value);
        return;
    case QuicStreamControlType::STREAMS_BLOCKED_UNI:
        m_localUni.OnBlockedLost(frame.value);
        return;
    default:
        break;
    }
    QuicStream* s = GetStream(frame.streamId);
    if (!s)
    {
        return; // closed and removed: nothing to repeat
    }
    switch (frame.type)
    {
    case QuicStreamControlType::RESET_STREAM:
        if (s->m_send)
        {
            s->m_send->OnResetStreamLost();
        }
        break;
    case QuicStreamControlType::STREAM_DATA_BLOCKED:
        if (s->m_send)
        {
            s->m_send->OnStreamDataBlockedLost(frame.value);
        }
        break;
    case QuicStreamControlType::STOP_SENDING:
        if (s->m_receive)
        {
            s->m_receive->OnStopSendingLost();
        }
        break;
    case QuicStreamControlType::MAX_STREAM_DATA:
        if (s->m_receive)
        {
            s->m_receive->OnMaxStreamDataLost(frame.value);
        }
        break;
    default:
        break;
    }
    Reschedule(s);
}

void
QuicStreamManager::RearmBlockedSignals()
{
    m_flow.GetSendSide().RearmBlocked();
    for (auto& entry : m_streams)
    {
        if (entry.second->m_send)
        {
            entry.second->m_send->m_flow.RearmBlocked();
            Reschedule(entry.second.get());
        }
    }
}

void
QuicStreamManager::Reschedule(QuicStream* s)
{
    if (s->m_send)
    {
        if (s->m_send->HasPriorityData())
        {
            Link(QuicStream::QUEUE_PRIORITY, s);
        }
        else
        {
            Unlink(QuicStream::QUEUE_PRIORITY, s);
        }
        if (s->m_send->HasNewData())
        {
            Link(QuicStream::QUEUE_NEW, s);
        }
        else
        {
            Unlink(QuicStream::QUEUE_NEW, s);
        }
    }
    if (s->HasPendingControl())
    {
        Link(QuicStream::QUEUE_CONTROL, s);
    }
    else
    {
        Unlink(QuicStream::QUEUE_CONTROL, s);
    }
    // A closed stream waits for removal, unless the application has yet to accept it.
    if (s->IsClosed() && !s->m_links[QuicStream::QUEUE_ACCEPT].linked)
    {
        Link(QuicStream::QUEUE_CLOSED, s);
    }
}

void
QuicStreamManager::Link(QuicStream::Queue q, QuicStream* s)
{
    QuicStream::Link& link = s->m_links[q];
    if (link.linked)
    {
        return;
    }
    QueueHead& head = m_queues[q];
    link.linked = true;
    link.next = nullptr;
    link.prev = head.tail;
    if (head.tail)
    {
        head.tail->m_links[q].next = s;
    }
    else
    {
        head.head = s;
    }
    head.tail = s;
    ++head.size;
}

void
QuicStreamManager::Unlink(QuicStream::Queue q, QuicStream* s)
{
    QuicStream::Link& link = s->m_links[q];
    if (!link.linked)
    {
        return;
    }
    QueueHead& head = m_queues[q];
    if (link.prev)
    {
        link.prev->m_links[q].next = link.next;
    }
    else
    {
        head.head = link.next;
    }
    if (link.next)
    {
        link.next->m_links[q].prev = link.prev;
    }
    else
    {
        head.tail = link.prev;
    }
    link = QuicStream::Link();
    --head.size;
}

void
QuicStreamManager::Rotate(QuicStream::Queue q)
{
    QueueHead& head = m_queues[q];
    if (head.size < 2)
    {
        return;
    }
    QuicStream* s = head.head;
    Unlink(q, s);
    Link(q, s);
}

} // namespace ns3
