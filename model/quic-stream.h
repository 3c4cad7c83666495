/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_STREAM_H
#define QUIC_STREAM_H

#include "quic-error.h"
#include "quic-frame.h"
#include "quic-varint.h"

#include "ns3/nstime.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

/**
 * \file
 * \ingroup quic-migration
 * QUIC streams (RFC 9000 §2-§4): stream identifiers, the sending and receiving
 * parts of a stream, stream and connection flow control, stream-count limits
 * and the per-connection stream manager.
 *
 * Everything here is pure logic driven by (stream id, offset, length, bytes,
 * FIN) and, for window auto-tuning only, by (now, RTT) values passed in. There
 * is no Simulator, no Packet and no dependency on the frame codec: the
 * connection decodes frames and calls in, and asks for chunks and control
 * frames (as small value structs) to encode.
 */

namespace ns3
{

class QuicStream;
class QuicStreamManager;

// ---------------------------------------------------------------------------
// Stream identifiers (RFC 9000 §2.1)
// ---------------------------------------------------------------------------

/**
 * \ingroup quic-migration
 * \brief Which endpoint initiated a stream (bit 0x01 of a stream id, RFC 9000 §2.1).
 *
 * Also used as "our role" by QuicStreamManager: the streams a client initiates
 * are its local streams.
 */
enum class QuicStreamInitiator : uint8_t
{
    CLIENT = 0, //!< even stream ids
    SERVER = 1, //!< odd stream ids
};

/**
 * \ingroup quic-migration
 * \brief Direction of a stream (bit 0x02 of a stream id, RFC 9000 §2.1).
 */
enum class QuicStreamDirection : uint8_t
{
    BIDIRECTIONAL = 0,  //!< both endpoints send
    UNIDIRECTIONAL = 1, //!< only the initiator sends
};

/// Largest valid stream id, 2^62-1 (RFC 9000 §2.1).
static constexpr uint64_t QUIC_STREAM_ID_MAX = QUIC_VARINT_MAX;

// QUIC_MAX_STREAMS_LIMIT (2^60, RFC 9000 §4.6) comes from quic-frame.h.

/**
 * \param id a stream id
 * \return the initiator (bit 0x01)
 */
inline QuicStreamInitiator
QuicStreamIdInitiator(uint64_t id)
{
    return (id & 0x01) ? QuicStreamInitiator::SERVER : QuicStreamInitiator::CLIENT;
}

/**
 * \param id a stream id
 * \return the direction (bit 0x02)
 */
inline QuicStreamDirection
QuicStreamIdDirection(uint64_t id)
{
    return (id & 0x02) ? QuicStreamDirection::UNIDIRECTIONAL : QuicStreamDirection::BIDIRECTIONAL;
}

/**
 * \param id a stream id
 * \return true for bidirectional streams
 */
inline bool
QuicStreamIdIsBidirectional(uint64_t id)
{
    return (id & 0x02) == 0;
}

/**
 * \param id a stream id
 * \return the stream type 0x00-0x03 of RFC 9000 Table 1 (the two low bits)
 */
inline uint8_t
QuicStreamIdType(uint64_t id)
{
    return static_cast<uint8_t>(id & 0x03);
}

/**
 * \param id a stream id
 * \return its index among the streams of its type: 0 for the first stream (id >> 2)
 */
inline uint64_t
QuicStreamIdIndex(uint64_t id)
{
    return id >> 2;
}

/**
 * \brief The id of the index-th stream (0-based) of a type (RFC 9000 §2.1).
 * \param initiator who opens it
 * \param direction bidirectional or unidirectional
 * \param index 0 for the first stream of that type
 * \return the stream id; callers keep index below 2^60 so that the id is valid
 */
inline uint64_t
QuicStreamIdMake(QuicStreamInitiator initiator, QuicStreamDirection direction, uint64_t index)
{
    return (index << 2) | (static_cast<uint64_t>(direction) << 1) |
           static_cast<uint64_t>(initiator);
}

/**
 * \param id a stream id
 * \param local the role of the endpoint asking
 * \return true if that endpoint initiated (or would initiate) the stream
 */
inline bool
QuicStreamIdIsLocal(uint64_t id, QuicStreamInitiator local)
{
    return QuicStreamIdInitiator(id) == local;
}

/**
 * \param id a stream id
 * \param local the role of the endpoint asking
 * \return true if that endpoint has a sending part on the stream (bidirectional, or
 *         unidirectional and locally initiated), RFC 9000 §2.1 and §3
 */
inline bool
QuicStreamIdCanSend(uint64_t id, QuicStreamInitiator local)
{
    return QuicStreamIdIsBidirectional(id) || QuicStreamIdIsLocal(id, local);
}

/**
 * \param id a stream id
 * \param local the role of the endpoint asking
 * \return true if that endpoint has a receiving part on the stream (bidirectional, or
 *         unidirectional and initiated by the peer)
 */
inline bool
QuicStreamIdCanReceive(uint64_t id, QuicStreamInitiator local)
{
    return QuicStreamIdIsBidirectional(id) || !QuicStreamIdIsLocal(id, local);
}

/**
 * \param id a value that should be a stream id
 * \return true if it is at most 2^62-1
 */
inline bool
QuicStreamIdIsValid(uint64_t id)
{
    return id <= QUIC_STREAM_ID_MAX;
}

/**
 * \ingroup quic-migration
 * \brief Frames received from the peer that name a stream (RFC 9000 §19.4-19.13).
 *
 * STREAM, RESET_STREAM and STREAM_DATA_BLOCKED come from the peer's sending part
 * and address our receiving part; MAX_STREAM_DATA and STOP_SENDING come from the
 * peer's receiving part and address our sending part.
 */
enum class QuicStreamFrameKind : uint8_t
{
    STREAM,              //!< 0x08-0x0f
    RESET_STREAM,        //!< 0x04
    STOP_SENDING,        //!< 0x05
    MAX_STREAM_DATA,     //!< 0x11
    STREAM_DATA_BLOCKED, //!< 0x15
};

/**
 * \brief Whether a frame of a kind received from the peer may name a stream of this id.
 *
 * Checks only the id-type rules: a frame for our receiving part on a stream where we
 * only send (our unidirectional stream), or for our sending part on a stream where
 * we only receive (the peer's unidirectional stream), is a STREAM_STATE_ERROR
 * (RFC 9000 §19.4, §19.5, §19.8, §19.10, §19.13). Stream limits and "locally
 * initiated but not yet created" need state: see QuicStreamManager.
 *
 * \param id the stream id in the frame
 * \param kind the frame
 * \param local our role
 * \return NO_ERROR, STREAM_STATE_ERROR, or FRAME_ENCODING_ERROR for an id above 2^62-1
 */
QuicTransportError QuicStreamIdCheckPeerFrame(uint64_t id,
                                              QuicStreamFrameKind kind,
                                              QuicStreamInitiator local);

// ---------------------------------------------------------------------------
// Deterministic payload and checksum
// ---------------------------------------------------------------------------

/**
 * \ingroup quic-migration
 * \brief The deterministic byte pattern carried by "virtual" stream payload.
 *
 * Byte k of a virtual stream is Table[k mod PERIOD], a fixed pseudo-random table of
 * PERIOD bytes (a prime, so a chunk stored at a wrong offset does not match unless
 * it is off by a multiple of PERIOD). Filling and checking are memcpy / memcmp of
 * at most a few pieces, so 1 GB transfers cost neither memory nor per-byte loops.
 */
class QuicStreamPattern
{
  public:
    /// Period of the pattern in bytes (prime).
    static constexpr uint64_t PERIOD = 65521;

    /**
     * \brief Write the pattern bytes of stream offsets [offset, offset + length).
     * \param offset stream offset of the first byte
     * \param dst destination, length bytes
     * \param length byte count
     */
    static void Fill(uint64_t offset, uint8_t* dst, size_t length);

    /**
     * \param offset stream offset of data[0]
     * \param data bytes to check
     * \param length byte count
     * \return true if the bytes equal the pattern at that offset
     */
    static bool Matches(uint64_t offset, const uint8_t* data, size_t length);

    /**
     * \param offset a stream offset
     * \return the pattern byte at that offset
     */
    static uint8_t ByteAt(uint64_t offset);
};

/**
 * \ingroup quic-migration
 * \brief Position-weighted checksum of stream bytes, independent of arrival order.
 *
 * The stream is read as little-endian 64-bit words W_j at aligned offsets 8j; the
 * checksum is the pair (sum W_j, sum W_j * (2j+1)) mod 2^64. Both sums are linear in
 * the bytes, so adding a stream's bytes in any order and any split gives the same
 * value, provided every byte is added exactly once. The receive stream adds each
 * byte once (duplicates are excluded), so its checksum can be compared with the
 * sender's, or with Range() over the virtual pattern. It is an integrity check for
 * tests and benchmarks, not a cryptographic hash.
 */
class QuicStreamChecksum
{
  public:
    /**
     * \brief Fold bytes at a stream offset into the checksum.
     * \param offset stream offset of data[0]
     * \param data bytes
     * \param length byte count
     */
    void Add(uint64_t offset, const uint8_t* data, size_t length);

    /// \return the 64-bit digest of the two sums
    uint64_t GetValue() const;

    /// \return true if both sums are equal
    bool operator==(const QuicStreamChecksum& other) const
    {
        return m_sum == other.m_sum && m_weighted == other.m_weighted;
    }

    /// \return true if the sums differ
    bool operator!=(const QuicStreamChecksum& other) const
    {
        return !(*this == other);
    }

    /**
     * \brief The checksum of the virtual pattern over [offset, offset + length).
     * \param offset first stream offset
     * \param length byte count
     * \return the checksum
     */
    static QuicStreamChecksum OfPattern(uint64_t offset, uint64_t length);

  private:
    uint64_t m_sum{0};      //!< sum of words
    uint64_t m_weighted{0}; //!< sum of words times (2 * word index + 1)
};

// ---------------------------------------------------------------------------
// Range set
// ---------------------------------------------------------------------------

/**
 * \ingroup quic-migration
 * \brief A set of byte offsets stored as disjoint half-open ranges [start, end).
 *
 * Adjacent and overlapping ranges are merged, so the number of stored ranges is the
 * number of gaps plus one. It backs the acknowledged and lost ranges of a sending
 * stream and the out-of-order ranges of a receiving stream.
 *
 * Cost: every operation is O(log n + k), n stored ranges, k ranges merged or removed.
 * Memory: one tree node per disjoint range; erased nodes are kept in a small spare
 * list (SPARE_NODES) and reused through C++17 node handles, and changing a range's
 * start re-keys its node in place, so loss episodes do not allocate once warmed up.
 */
class QuicRangeSet
{
  public:
    /// Ranges as start -> end.
    using Map = std::map<uint64_t, uint64_t>;
    /// Iterator over (start, end) pairs, in increasing order.
    using ConstIterator = Map::const_iterator;

    /// Number of erased nodes kept for reuse.
    static constexpr size_t SPARE_NODES = 16;

    QuicRangeSet() = default;
    /// \param other set to copy (the spare nodes are not copied)
    QuicRangeSet(const QuicRangeSet& other);
    /// \param other set to copy \return this
    QuicRangeSet& operator=(const QuicRangeSet& other);
    QuicRangeSet(QuicRangeSet&&) = default;            //!< move
    QuicRangeSet& operator=(QuicRangeSet&&) = default; //!< move \return this

    /**
     * \brief Add [start, end), merging with overlapping or adjacent ranges.
     * \param start first offset
     * \param end one past the last offset (nothing happens if end <= start)
     */
    void Add(uint64_t start, uint64_t end);

    /**
     * \brief Remove [start, end), splitting a range if needed.
     * \param start first offset
     * \param end one past the last offset
     */
    void Remove(uint64_t start, uint64_t end);

    /**
     * \param start first offset
     * \param end one past the last offset
     * \return true if every offset of [start, end) is in the set (true when empty)
     */
    bool Contains(uint64_t start, uint64_t end) const;

    /**
     * \brief Call fn(a, b) for each maximal sub-range [a, b) of [start, end) not in the set.
     * \param start first offset
     * \param end one past the last offset
     * \param fn callable taking (uint64_t a, uint64_t b)
     */
    template <typename F>
    void VisitGaps(uint64_t start, uint64_t end, F&& fn) const
    {
        if (start >= end)
        {
            return;
        }
        uint64_t cur = start;
        for (auto it = FirstTouching(start); it != m_ranges.end() && it->first < end; ++it)
        {
            if (it->first > cur)
            {
                fn(cur, it->first);
            }
            if (it->second > cur)
            {
                cur = it->second;
            }
            if (cur >= end)
            {
                return;
            }
        }
        fn(cur, end);
    }

    /// \return true if the set holds no offset
    bool IsEmpty() const
    {
        return m_ranges.empty();
    }

    /// \return the number of disjoint ranges
    size_t GetRangeCount() const
    {
        return m_ranges.size();
    }

    /// \return the number of offsets in the set
    uint64_t GetTotalLength() const
    {
        return m_total;
    }

    /// \return the lowest range; only when not empty
    std::pair<uint64_t, uint64_t> Front() const
    {
        return *m_ranges.begin();
    }

    /// \brief Remove the lowest range; only when not empty.
    void PopFront();

    /// \return iterator to the lowest range
    ConstIterator begin() const
    {
        return m_ranges.begin();
    }

    /// \return end iterator
    ConstIterator end() const
    {
        return m_ranges.end();
    }

    /// \brief Remove everything (the nodes go to the spare list up to its size).
    void Clear();

  private:
    /**
     * \param start an offset
     * \return the first range whose end is above start (the one containing start, if any)
     */
    ConstIterator FirstTouching(uint64_t start) const;
    /**
     * \brief Insert a new range, reusing a spare node when there is one.
     * \param start range start
     * \param end range end
     */
    void InsertNode(uint64_t start, uint64_t end);
    /**
     * \brief Erase a range, keeping its node as a spare.
     * \param it the range
     * \return the iterator after it
     */
    Map::iterator EraseNode(Map::iterator it);
    /**
     * \brief Change the start of a range without reallocating its node.
     * \param it the range; the new start must keep the order of ranges
     * \param newStart the new start
     * \return iterator to the re-keyed range
     */
    Map::iterator Rekey(Map::iterator it, uint64_t newStart);

    Map m_ranges;                        //!< start -> end, disjoint and non-adjacent
    uint64_t m_total{0};                 //!< offsets in the set
    std::vector<Map::node_type> m_spare; //!< erased nodes kept for reuse
};

// ---------------------------------------------------------------------------
// Flow control building blocks (RFC 9000 §4.1, §4.2, §4.6)
// ---------------------------------------------------------------------------

/**
 * \ingroup quic-migration
 * \brief Credit granted to us by the peer: MAX_DATA / MAX_STREAM_DATA / MAX_STREAMS
 * on the sending side, and the matching *_BLOCKED signal (RFC 9000 §4.1, §4.6).
 *
 * Holds the largest limit the peer advertised and how much of it we used. Limits
 * that do not increase are ignored (§4.1, §19.11). When a sender wants more than
 * the credit allows it calls SetBlocked(); ShouldSendBlocked() then asks for one
 * *_BLOCKED frame carrying the limit, once per limit value (again after the frame is
 * lost, or when the connection re-arms it because nothing is in flight, §4.1).
 */
class QuicSendFlowControl
{
  public:
    /// \param initialLimit the peer's initial limit (a transport parameter)
    explicit QuicSendFlowControl(uint64_t initialLimit = 0);

    /// \return the largest limit the peer advertised
    uint64_t GetLimit() const
    {
        return m_limit;
    }

    /// \return credit used so far
    uint64_t GetUsed() const
    {
        return m_used;
    }

    /// \return credit left, limit minus used
    uint64_t GetAvailable() const
    {
        return m_limit - m_used;
    }

    /**
     * \brief Process a new limit from the peer (MAX_DATA, MAX_STREAM_DATA, MAX_STREAMS).
     * \param limit the advertised value
     * \return true if it raised the limit; false if ignored
     */
    bool OnLimit(uint64_t limit);

    /**
     * \brief Use credit.
     * \param n amount; at most GetAvailable()
     */
    void Consume(uint64_t n);

    /// \brief Record that the sender wanted more than the credit allows (only if none is left).
    void SetBlocked();

    /// \return true while blocked at the current limit
    bool IsBlocked() const
    {
        return m_blocked;
    }

    /// \return true if a *_BLOCKED frame for the current limit should be sent
    bool ShouldSendBlocked() const
    {
        return m_blocked && !(m_blockedSent && m_blockedSentLimit == m_limit);
    }

    /**
     * \brief Mark the *_BLOCKED frame as sent.
     * \return the limit to put in the frame
     */
    uint64_t TakeBlocked();

    /**
     * \brief A *_BLOCKED frame was lost: send it again if still blocked at that limit.
     * \param limit the value the lost frame carried
     */
    void OnBlockedLost(uint64_t limit);

    /// \brief Allow one more *_BLOCKED frame for the same limit (periodic resend, §4.1).
    void RearmBlocked()
    {
        m_blockedSent = false;
    }

  private:
    uint64_t m_limit;               //!< largest advertised limit
    uint64_t m_used{0};             //!< credit consumed
    bool m_blocked{false};          //!< sender wanted more than the limit
    bool m_blockedSent{false};      //!< a *_BLOCKED frame was sent ...
    uint64_t m_blockedSentLimit{0}; //!< ... for this limit
};

/**
 * \ingroup quic-migration
 * \brief Credit we grant to the peer on the receiving side: the limit we advertised,
 * what the peer used, what our application consumed, and when to advertise more
 * (RFC 9000 §4.1, §4.2).
 *
 * "Received" is the peer's use of the credit (for a stream: its largest offset; for
 * the connection: the sum of those over all streams; for stream counts: streams
 * opened); exceeding the advertised limit is a FLOW_CONTROL_ERROR. "Consumed" is what
 * we have freed (bytes read by the application, streams closed). The next limit is
 * consumed + window, advertised once at least half a window has been freed since the
 * last advertisement, so updates are neither per packet nor late.
 *
 * Auto-tuning (optional, maxWindow > window): when an update is taken less than two
 * RTTs after the previous one, i.e. half a window drained in under two RTTs, the
 * window doubles up to maxWindow. This keeps the window at roughly four times the
 * bandwidth-delay product of the reader. Never waits for *_BLOCKED (§4.2), but a
 * *_BLOCKED at our current limit makes the next update due as soon as any credit is free.
 */
class QuicReceiveFlowControl
{
  public:
    /**
     * \param window initial window; also the initial advertised limit (a transport parameter)
     * \param maxWindow auto-tuning cap; 0 or <= window disables auto-tuning
     * \param maxLimit the largest limit that may ever be advertised (2^62-1 for data,
     *        2^60 for stream counts)
     */
    explicit QuicReceiveFlowControl(uint64_t window = 0,
                                    uint64_t maxWindow = 0,
                                    uint64_t maxLimit = QUIC_VARINT_MAX);

    /// \return the largest limit advertised to the peer
    uint64_t GetLimit() const
    {
        return m_limit;
    }

    /// \return the current window
    uint64_t GetWindow() const
    {
        return m_window;
    }

    /// \return the auto-tuning cap
    uint64_t GetMaxWindow() const
    {
        return m_maxWindow;
    }

    /// \return credit the peer used
    uint64_t GetReceived() const
    {
        return m_received;
    }

    /// \return credit freed by us
    uint64_t GetConsumed() const
    {
        return m_consumed;
    }

    /**
     * \brief The peer used more credit.
     * \param delta the increase
     * \return NO_ERROR, or FLOW_CONTROL_ERROR (nothing changed) if it passes the limit
     */
    QuicTransportError AddReceived(uint64_t delta);

    /**
     * \brief We freed credit.
     * \param n amount; consumed never passes received
     */
    void AddConsumed(uint64_t n);

    /// \return true if a MAX_* update should be sent now
    bool ShouldSendUpdate() const;

    /**
     * \brief Advertise a new limit: apply auto-tuning, raise the limit, clear the signal.
     * \param now current time (auto-tuning only)
     * \param rtt smoothed RTT (auto-tuning only; zero disables growth)
     * \return the limit to put in the MAX_* frame
     */
    uint64_t TakeUpdate(Time now = Time(0), Time rtt = Time(0));

    /**
     * \brief A MAX_* frame was lost: resend the current limit if it was the latest (§13.3).
     * \param limit the value the lost frame carried
     */
    void OnUpdateLost(uint64_t limit);

    /**
     * \brief The peer reported being blocked (DATA_BLOCKED, STREAM_DATA_BLOCKED...).
     * \param limit the limit in its frame
     */
    void OnPeerBlocked(uint64_t limit);

    /// \brief No more updates (final size known, reset, or reading abandoned).
    void Close()
    {
        m_closed = true;
    }

    /// \return true after Close()
    bool IsClosed() const
    {
        return m_closed;
    }

  private:
    /// \return the limit an update would advertise now
    uint64_t NextLimit() const;

    uint64_t m_window;           //!< current window
    uint64_t m_maxWindow;        //!< auto-tuning cap
    uint64_t m_maxLimit;         //!< protocol cap on the limit
    uint64_t m_limit;            //!< largest advertised limit
    uint64_t m_received{0};      //!< credit used by the peer
    uint64_t m_consumed{0};      //!< credit freed
    bool m_resend{false};        //!< the latest update was lost
    bool m_forced{false};        //!< the peer said it is blocked at our limit
    bool m_closed{false};        //!< no more updates
    Time m_lastUpdate{Time(-1)}; //!< when the last update was taken; negative: never
};

/**
 * \ingroup quic-migration
 * \brief Connection-level flow control in both directions (RFC 9000 §4.1, §19.9, §19.12).
 *
 * GetSendSide(): the peer's MAX_DATA credit, charged with the new bytes of every STREAM
 * frame we send (retransmissions are free), and our DATA_BLOCKED signal.
 * GetReceiveSide(): our MAX_DATA limit, charged with the growth of the largest received
 * offset of every stream (and final sizes, §4.5), freed as applications read;
 * decides when to send MAX_DATA.
 */
class QuicFlowController
{
  public:
    /**
     * \param peerInitialMaxData the peer's initial_max_data (0 until known)
     * \param localInitialMaxData our initial_max_data
     * \param localMaxWindow auto-tuning cap of our connection window (0: fixed)
     */
    QuicFlowController(uint64_t peerInitialMaxData = 0,
                       uint64_t localInitialMaxData = 0,
                       uint64_t localMaxWindow = 0)
        : m_send(peerInitialMaxData),
          m_receive(localInitialMaxData, localMaxWindow)
    {
    }

    /// \return the sending side (MAX_DATA from the peer, DATA_BLOCKED to send)
    QuicSendFlowControl& GetSendSide()
    {
        return m_send;
    }

    /// \return the sending side
    const QuicSendFlowControl& GetSendSide() const
    {
        return m_send;
    }

    /// \return the receiving side (MAX_DATA to send)
    QuicReceiveFlowControl& GetReceiveSide()
    {
        return m_receive;
    }

    /// \return the receiving side
    const QuicReceiveFlowControl& GetReceiveSide() const
    {
        return m_receive;
    }

  private:
    QuicSendFlowControl m_send;       //!< credit from the peer
    QuicReceiveFlowControl m_receive; //!< credit to the peer
};

/**
 * \ingroup quic-migration
 * \brief How many streams of one type (bidi or uni) we may open (RFC 9000 §4.6, §19.11).
 *
 * The peer's max_streams and MAX_STREAMS raise the limit (never lower it); opening
 * beyond it fails and arms a STREAMS_BLOCKED signal (§19.14).
 */
class QuicLocalStreamLimit
{
  public:
    /// \param peerMaxStreams the peer's initial_max_streams_bidi or _uni (0 until known)
    explicit QuicLocalStreamLimit(uint64_t peerMaxStreams = 0);

    /// \return the cumulative number of streams we may open
    uint64_t GetLimit() const
    {
        return m_credit.GetLimit();
    }

    /// \return how many streams we opened
    uint64_t GetOpened() const
    {
        return m_credit.GetUsed();
    }

    /// \return true if one more stream may be opened
    bool CanOpen() const
    {
        return m_credit.GetAvailable() > 0;
    }

    /**
     * \brief Open the next stream of this type.
     * \param index receives its index (0-based) on success
     * \return false (and STREAMS_BLOCKED armed) at the limit
     */
    bool Open(uint64_t& index);

    /**
     * \brief Process MAX_STREAMS (or the transport parameter).
     * \param maxStreams the value
     * \return NO_ERROR, or FRAME_ENCODING_ERROR above 2^60 (§19.11)
     */
    QuicTransportError OnMaxStreams(uint64_t maxStreams);

    /// \return true if STREAMS_BLOCKED should be sent
    bool ShouldSendBlocked() const
    {
        return m_credit.ShouldSendBlocked();
    }

    /// \return the limit for the STREAMS_BLOCKED frame, marked as sent
    uint64_t TakeBlocked()
    {
        return m_credit.TakeBlocked();
    }

    /// \param limit value of a lost STREAMS_BLOCKED frame
    void OnBlockedLost(uint64_t limit)
    {
        m_credit.OnBlockedLost(limit);
    }

  private:
    QuicSendFlowControl m_credit; //!< limit = max streams, used = opened
};

/**
 * \ingroup quic-migration
 * \brief How many streams of one type the peer may open, and when to raise it with
 * MAX_STREAMS (RFC 9000 §4.6, §19.11, §19.14).
 *
 * The limit is cumulative. The initial value is a concurrency budget: each closed
 * peer stream gives one back, and MAX_STREAMS (closed + initial) is sent once half of
 * that budget has been returned. A stream index at or above the advertised limit is a
 * STREAM_LIMIT_ERROR.
 */
class QuicPeerStreamLimit
{
  public:
    /// \param maxStreams our initial_max_streams_bidi or _uni (at most 2^60)
    explicit QuicPeerStreamLimit(uint64_t maxStreams = 0);

    /// \return the advertised cumulative limit
    uint64_t GetLimit() const
    {
        return m_credit.GetLimit();
    }

    /// \return how many streams the peer opened (largest index + 1)
    uint64_t GetOpened() const
    {
        return m_credit.GetReceived();
    }

    /// \return how many of them were closed and released
    uint64_t GetClosed() const
    {
        return m_credit.GetConsumed();
    }

    /**
     * \param index index of a peer stream (QuicStreamIdIndex)
     * \return NO_ERROR, or STREAM_LIMIT_ERROR if it is at or above the limit
     */
    QuicTransportError CheckIndex(uint64_t index) const
    {
        return index >= GetLimit() ? QuicTransportError::STREAM_LIMIT_ERROR
                                   : QuicTransportError::NO_ERROR;
    }

    /**
     * \brief The peer opened streams up to this index (after CheckIndex).
     * \param index the largest index now open
     */
    void OnOpened(uint64_t index);

    /// \brief A peer stream was closed and released.
    void OnClosed()
    {
        m_credit.AddConsumed(1);
    }

    /// \return true if MAX_STREAMS should be sent
    bool ShouldSendUpdate() const
    {
        return m_credit.ShouldSendUpdate();
    }

    /// \return the value for the MAX_STREAMS frame, marked as advertised
    uint64_t TakeUpdate()
    {
        return m_credit.TakeUpdate();
    }

    /// \param limit value of a lost MAX_STREAMS frame
    void OnUpdateLost(uint64_t limit)
    {
        m_credit.OnUpdateLost(limit);
    }

    /**
     * \brief Process STREAMS_BLOCKED from the peer.
     * \param limit its value
     * \return NO_ERROR, or STREAM_LIMIT_ERROR above 2^60 (§19.14)
     */
    QuicTransportError OnPeerBlocked(uint64_t limit);

  private:
    QuicReceiveFlowControl m_credit; //!< received = opened, consumed = closed
};

// ---------------------------------------------------------------------------
// Chunks and control frames exchanged with the connection
// ---------------------------------------------------------------------------

/**
 * \ingroup quic-migration
 * \brief One STREAM frame's worth of stream data to send, as handed out by
 * QuicSendStream::NextChunk: what the connection encodes and later reports acked or lost.
 */
struct QuicStreamChunk
{
    uint64_t streamId{0};       //!< stream id
    uint64_t offset{0};         //!< stream offset of the first byte
    uint64_t length{0};         //!< payload bytes (0 only for a bare FIN)
    bool fin{false};            //!< FIN bit: offset + length is the final size
    bool retransmission{false}; //!< the bytes were sent before (no new credit used)
};

/**
 * \ingroup quic-migration
 * \brief Kinds of control frame the stream layer asks the connection to send.
 */
enum class QuicStreamControlType : uint8_t
{
    MAX_DATA,             //!< 0x10, value = maximum data
    MAX_STREAMS_BIDI,     //!< 0x12, value = maximum streams
    MAX_STREAMS_UNI,      //!< 0x13, value = maximum streams
    RESET_STREAM,         //!< 0x04, value = final size, errorCode
    STOP_SENDING,         //!< 0x05, errorCode
    MAX_STREAM_DATA,      //!< 0x11, value = maximum stream data
    STREAM_DATA_BLOCKED,  //!< 0x15, value = maximum stream data
    DATA_BLOCKED,         //!< 0x14, value = maximum data
    STREAMS_BLOCKED_BIDI, //!< 0x16, value = maximum streams
    STREAMS_BLOCKED_UNI,  //!< 0x17, value = maximum streams
};

/**
 * \ingroup quic-migration
 * \brief A control frame to send, or one reported acked / lost: a plain value the
 * connection stores with the sent packet (no allocation).
 */
struct QuicStreamControlFrame
{
    QuicStreamControlType type{QuicStreamControlType::MAX_DATA}; //!< frame kind
    uint64_t streamId{0};                                        //!< stream id (stream frames only)
    uint64_t value{0};     //!< limit, or final size for RESET_STREAM
    uint64_t errorCode{0}; //!< application error code (RESET_STREAM, STOP_SENDING)
};

/// Largest encoding of any QuicStreamControlFrame: type + three 8-byte varints.
static constexpr size_t QUIC_STREAM_CONTROL_FRAME_MAX_SIZE = 1 + 8 + 8 + 8;

// ---------------------------------------------------------------------------
// Sending part of a stream (RFC 9000 §3.1)
// ---------------------------------------------------------------------------

/**
 * \ingroup quic-migration
 * \brief The sending part of a stream: application data in, STREAM chunks out,
 * acknowledgements and losses back (RFC 9000 §2.2, §3.1, §4.1, §4.5, §13.3, §19.4, §19.8).
 *
 * What it owns:
 * - The unacknowledged application bytes in a ring buffer bounded by the send
 *   buffer size: Write() accepts only what fits, and the space of acknowledged
 *   bytes is reused. The buffer grows on demand (doubling) up to that size and is
 *   freed in terminal states. In virtual mode (WriteVirtual) the application only
 *   says "N more bytes"; the payload is QuicStreamPattern at each offset and no
 *   buffer exists, so transfers of any size use constant memory. A stream is real
 *   or virtual from its first write on.
 * - Offsets: written (application), sent (largest offset sent + 1), and the
 *   acknowledged prefix, plus a QuicRangeSet of acknowledged ranges above the prefix
 *   and a QuicRangeSet of lost ranges awaiting retransmission.
 * - Stream flow control (the peer's MAX_STREAM_DATA) and a pointer to the
 *   connection's send credit (MAX_DATA), both charged with new bytes only.
 * - The §3.1 state: Ready, Send, Data Sent, Data Recvd, Reset Sent, Reset Recvd.
 *
 * NextChunk() hands out lost ranges first (exactly the lost bytes, lowest first), then
 * a FIN whose frame was lost, then new data within both credits. A lost range that
 * is acknowledged in the meantime (spurious loss) is not resent. The FIN goes on the
 * chunk that ends at the final size, or alone (length 0) when the data already went.
 * Data Recvd is reached only once every byte and the FIN are acknowledged.
 *
 * Reset() (application) and STOP_SENDING (peer, §3.5) move to Reset Sent with final
 * size = bytes sent so far, drop all data and queue a RESET_STREAM until acknowledged.
 * A STOP_SENDING in Data Sent also resets at once (the RFC lets us defer; we don't).
 *
 * Cost: steady state (in-order acks, no loss) touches no tree node and allocates
 * nothing; each call is O(log n) in the number of gaps.
 *
 * Left out: priorities (the manager does round-robin), deferring a RESET_STREAM until
 * in-flight data is resolved, and data from 0-RTT remembered limits.
 */
class QuicSendStream
{
  public:
    /// Send-side states of RFC 9000 §3.1.
    enum State : uint8_t
    {
        READY,       //!< created, nothing sent
        SEND,        //!< sending
        DATA_SENT,   //!< FIN sent, waiting for acks
        DATA_RECVD,  //!< everything acknowledged (terminal)
        RESET_SENT,  //!< RESET_STREAM sent or queued
        RESET_RECVD, //!< RESET_STREAM acknowledged (terminal)
    };

    /// Default send buffer bound, bytes.
    static constexpr uint64_t DEFAULT_SEND_BUFFER = 1 << 20;

    /**
     * \param id stream id
     * \param initialMaxStreamData the peer's initial limit for this stream (§18.2)
     * \param sendBufferSize bound on buffered (unacknowledged) real bytes
     */
    QuicSendStream(uint64_t id,
                   uint64_t initialMaxStreamData,
                   uint64_t sendBufferSize = DEFAULT_SEND_BUFFER);

    QuicSendStream(const QuicSendStream&) = delete;            //!< not copyable
    QuicSendStream& operator=(const QuicSendStream&) = delete; //!< not copyable \return this

    /**
     * \brief Charge new bytes to a connection-level credit too (MAX_DATA).
     * \param connection the connection's send credit; may be null; must outlive the stream
     */
    void SetConnectionFlowControl(QuicSendFlowControl* connection)
    {
        m_connection = connection;
    }

    /// \return the stream id
    uint64_t GetId() const
    {
        return m_id;
    }

    /// \return the §3.1 state
    State GetState() const
    {
        return m_state;
    }

    /// \return true in Data Recvd or Reset Recvd
    bool IsTerminal() const
    {
        return m_state == DATA_RECVD || m_state == RESET_RECVD;
    }

    // --- application -------------------------------------------------------

    /**
     * \brief Queue application bytes.
     * \param data the bytes
     * \param length byte count
     * \return bytes accepted: limited by free buffer space; 0 after Finish()/Reset(),
     *         in virtual mode, or in a terminal state
     */
    size_t Write(const uint8_t* data, size_t length);

    /**
     * \brief Queue length bytes of virtual payload (QuicStreamPattern at their offsets).
     * \param length byte count
     * \return bytes accepted (all of them, up to the 2^62-1 offset limit); 0 if real
     *         bytes were written before, after Finish()/Reset(), or when terminal
     */
    uint64_t WriteVirtual(uint64_t length);

    /**
     * \brief End the stream after the bytes written so far (FIN).
     * \return false if already finished, reset or terminal
     */
    bool Finish();

    /**
     * \brief Abandon the stream: queue RESET_STREAM (§3.1, §19.4).
     * \param applicationErrorCode the code to send
     * \return false if already reset or all data was acknowledged
     */
    bool Reset(uint64_t applicationErrorCode);

    /// \return free send buffer space for Write()
    uint64_t GetWritableBytes() const;

    // --- peer frames --------------------------------------------------------

    /**
     * \brief MAX_STREAM_DATA from the peer (§19.10); smaller values are ignored.
     * \param maxStreamData the value
     */
    void OnMaxStreamData(uint64_t maxStreamData);

    /**
     * \brief STOP_SENDING from the peer (§3.5, §19.5): reset with its error code.
     * \param applicationErrorCode the code in the frame
     */
    void OnStopSending(uint64_t applicationErrorCode);

    // --- packetization ------------------------------------------------------

    /**
     * \brief Next chunk to send: a lost range, a lost FIN, or new data within credit.
     * \param maxLength largest payload the packet can take
     * \param chunk receives the chunk
     * \return false if nothing can be sent now
     */
    bool NextChunk(uint64_t maxLength, QuicStreamChunk& chunk);

    /**
     * \brief Copy the payload of a chunk just returned by NextChunk.
     * \param offset stream offset
     * \param dst destination
     * \param length byte count
     * \return false if the bytes are not available (acknowledged or never written)
     */
    bool CopyData(uint64_t offset, uint8_t* dst, uint64_t length) const;

    /// \return true if lost data, a lost FIN, or a bare FIN is waiting (needs no credit)
    bool HasPriorityData() const;

    /// \return true if unsent bytes wait and stream credit is left
    bool HasNewData() const;

    /**
     * \brief A chunk was acknowledged.
     * \param offset its offset
     * \param length its length
     * \param fin its FIN bit
     */
    void OnChunkAcked(uint64_t offset, uint64_t length, bool fin);

    /**
     * \brief A chunk was declared lost: its unacknowledged bytes (and FIN) will be resent.
     * \param offset its offset
     * \param length its length
     * \param fin its FIN bit
     */
    void OnChunkLost(uint64_t offset, uint64_t length, bool fin);

    // --- control frames -----------------------------------------------------

    /// \return true if a STREAM_DATA_BLOCKED frame should be sent (§19.13)
    bool ShouldSendStreamDataBlocked() const;

    /// \return the limit for STREAM_DATA_BLOCKED, marked as sent
    uint64_t TakeStreamDataBlocked();

    /// \param limit value of a lost STREAM_DATA_BLOCKED frame
    void OnStreamDataBlockedLost(uint64_t limit);

    /// \return true if a RESET_STREAM frame should be sent
    bool ShouldSendResetStream() const
    {
        return m_resetPending;
    }

    /**
     * \brief Mark RESET_STREAM as sent.
     * \param applicationErrorCode receives its error code
     * \param finalSize receives its final size
     */
    void TakeResetStream(uint64_t& applicationErrorCode, uint64_t& finalSize);

    /// \brief The RESET_STREAM was acknowledged: Reset Recvd.
    void OnResetStreamAcked();

    /// \brief The RESET_STREAM was lost: send it again.
    void OnResetStreamLost();

    // --- observers ----------------------------------------------------------

    /// \return bytes written by the application (real or virtual)
    uint64_t GetBytesWritten() const
    {
        return m_writeOffset;
    }

    /// \return largest offset sent + 1 (new bytes sent)
    uint64_t GetBytesSent() const
    {
        return m_sendOffset;
    }

    /// \return acknowledged bytes (prefix plus out-of-order ranges)
    uint64_t GetBytesAcked() const
    {
        return m_ackedPrefix + m_acked.GetTotalLength();
    }

    /// \return bytes handed out again after loss
    uint64_t GetBytesRetransmitted() const
    {
        return m_retransmitted;
    }

    /// \return bytes waiting for retransmission
    uint64_t GetLostBytes() const
    {
        return m_lost.GetTotalLength();
    }

    /// \return written but not yet acknowledged bytes (held in the buffer in real mode)
    uint64_t GetUnackedBytes() const
    {
        return m_writeOffset - m_ackedPrefix;
    }

    /// \return allocated ring-buffer bytes (0 in virtual mode)
    uint64_t GetBufferCapacity() const
    {
        return m_buffer.size();
    }

    /// \return true in virtual-payload mode
    bool IsVirtual() const
    {
        return m_payload == PAYLOAD_VIRTUAL;
    }

    /// \return true once Finish() was called
    bool IsFinished() const
    {
        return m_finRequested;
    }

    /// \return the stream-level credit from the peer
    const QuicSendFlowControl& GetFlowControl() const
    {
        return m_flow;
    }

    /// \return the acknowledged ranges above the acknowledged prefix
    const QuicRangeSet& GetAckedRanges() const
    {
        return m_acked;
    }

    /// \return the lost ranges waiting for retransmission
    const QuicRangeSet& GetLostRanges() const
    {
        return m_lost;
    }

    /// \return the RESET_STREAM error code (valid after a reset)
    uint64_t GetResetErrorCode() const
    {
        return m_resetErrorCode;
    }

    /// \return the STOP_SENDING error code received, if any
    std::optional<uint64_t> GetStopSendingErrorCode() const
    {
        return m_stopSendingCode;
    }

  private:
    friend class QuicStreamManager;

    /// Payload mode, fixed by the first write.
    enum Payload : uint8_t
    {
        PAYLOAD_NONE,
        PAYLOAD_REAL,
        PAYLOAD_VIRTUAL,
    };

    /// \return true in Ready or Send (new data may still go out)
    bool CanSendNewData() const
    {
        return m_state == READY || m_state == SEND;
    }

    /// \return true in Ready, Send or Data Sent (data may be (re)sent)
    bool CanSendData() const
    {
        return m_state == READY || m_state == SEND || m_state == DATA_SENT;
    }

    /// \brief Record blocked signals when unsent data meets exhausted credit.
    void UpdateBlocked();
    /// \brief Move to Data Recvd when everything is acknowledged.
    void CheckAllAcked();
    /// \brief Drop buffers and range sets (terminal or reset).
    void ReleaseData();
    /**
     * \brief Grow the ring so that it holds at least need bytes.
     * \param need bytes from the acknowledged prefix to the write offset
     */
    void EnsureCapacity(uint64_t need);
    /// \brief Tell the owning manager that the stream's work may have changed.
    void Notify();

    uint64_t m_id;                              //!< stream id
    State m_state{READY};                       //!< §3.1 state
    Payload m_payload{PAYLOAD_NONE};            //!< real or virtual
    QuicSendFlowControl m_flow;                 //!< MAX_STREAM_DATA credit
    QuicSendFlowControl* m_connection{nullptr}; //!< MAX_DATA credit, may be null
    uint64_t m_bufferLimit;                     //!< bound on buffered real bytes
    std::vector<uint8_t> m_buffer;              //!< ring buffer, byte k at k % size
    uint64_t m_writeOffset{0};                  //!< bytes written by the application
    uint64_t m_sendOffset{0};                   //!< largest sent offset + 1
    uint64_t m_ackedPrefix{0};                  //!< all bytes below are acknowledged
    QuicRangeSet m_acked;                       //!< acknowledged ranges above the prefix
    QuicRangeSet m_lost;                        //!< ranges to retransmit
    bool m_finRequested{false};                 //!< Finish() called; final size = m_writeOffset
    bool m_finSent{false};                      //!< a chunk with FIN was sent
    bool m_finLost{false};                      //!< that chunk was lost and not acked
    bool m_finAcked{false};                     //!< the FIN was acknowledged
    uint64_t m_retransmitted{0};                //!< bytes handed out again
    bool m_resetPending{false};                 //!< RESET_STREAM to send
    uint64_t m_resetErrorCode{0};               //!< its error code
    uint64_t m_resetFinalSize{0};               //!< its final size
    std::optional<uint64_t> m_stopSendingCode;  //!< STOP_SENDING received
    QuicStream* m_owner{nullptr};               //!< owning stream when managed
};

// ---------------------------------------------------------------------------
// Receiving part of a stream (RFC 9000 §3.2)
// ---------------------------------------------------------------------------

/**
 * \ingroup quic-migration
 * \brief The receiving part of a stream: STREAM / RESET_STREAM frames in, an ordered
 * byte stream out (RFC 9000 §2.2, §3.2, §3.5, §4.1, §4.2, §4.5, §19.4, §19.5, §19.8, §19.10).
 *
 * What it owns:
 * - A ring buffer indexed by stream offset holding [read offset, largest received
 *   offset). It is allocated on demand and grows (doubling) only as far as the
 *   received data reaches, never beyond the advertised limit minus the read offset,
 *   i.e. never beyond the window: memory is bounded by the credit we granted, and
 *   the connection's MAX_DATA bounds the sum over streams (§4.1). In discard mode
 *   there is no buffer at all: bytes count as read once they are contiguous.
 * - Reassembly: a contiguous end (everything below has arrived) and a QuicRangeSet of
 *   ranges above it. Each new chunk is clipped to the bytes not seen before, so
 *   duplicates and overlaps are free and every byte enters the buffer, the checksum
 *   and the optional pattern check exactly once. Different data at the same offset
 *   is not detected (§2.2 makes that check optional); the first copy wins.
 * - Stream flow control (QuicReceiveFlowControl: MAX_STREAM_DATA when half the window
 *   was read, optional auto-tuning) and a pointer to the connection's receive credit,
 *   charged with the growth of the largest received offset and freed on reads.
 * - Final size rules of §4.5: a FIN or RESET_STREAM that changes a known final size,
 *   or ends below data already received, or data at or beyond a known final size, is
 *   FINAL_SIZE_ERROR. Data beyond the advertised limit is FLOW_CONTROL_ERROR.
 *   Errors leave the state unchanged; the connection closes with the code.
 * - The §3.2 state: Recv, Size Known, Data Recvd, Data Read, Reset Recvd, Reset Read.
 *
 * RESET_STREAM (§3.2, §4.5): charges the final size to flow control, drops buffered
 * data, returns the unread credit to the connection and moves to Reset Recvd (Reset
 * Read when the application next reads, or at once in discard mode). When all data
 * already arrived (Data Recvd) the reset is not signalled, as §3.2 allows.
 * StopSending() (§3.5) queues STOP_SENDING, drops buffered data and from then on
 * counts arriving bytes for flow control and discards them.
 *
 * Left out: out-of-order delivery to the application, detection of changed data,
 * and enforcing final size on streams already closed and removed (§4.5 makes it optional).
 */
class QuicReceiveStream
{
  public:
    /// Receive-side states of RFC 9000 §3.2.
    enum State : uint8_t
    {
        RECV,        //!< receiving
        SIZE_KNOWN,  //!< FIN received, data missing
        DATA_RECVD,  //!< all data received, not all read
        DATA_READ,   //!< all data read (terminal)
        RESET_RECVD, //!< RESET_STREAM received
        RESET_READ,  //!< reset delivered to the application (terminal)
    };

    /// Smallest ring-buffer allocation, bytes.
    static constexpr uint64_t MIN_BUFFER = 4096;

    /**
     * \param id stream id
     * \param window initial window = our initial max stream data for it (§18.2)
     * \param maxWindow auto-tuning cap; 0 or <= window: fixed window
     */
    QuicReceiveStream(uint64_t id, uint64_t window, uint64_t maxWindow = 0);

    QuicReceiveStream(const QuicReceiveStream&) = delete;            //!< not copyable
    QuicReceiveStream& operator=(const QuicReceiveStream&) = delete; //!< not copyable \return this

    /**
     * \brief Charge received bytes to the connection's credit too (MAX_DATA).
     * \param connection our connection-level receive credit; may be null; must outlive us
     */
    void SetConnectionFlowControl(QuicReceiveFlowControl* connection)
    {
        m_connection = connection;
    }

    /**
     * \brief Discard payload: keep counts (and optionally checksum / pattern check),
     * deliver nothing. Bytes already buffered are consumed and dropped. Turning it off
     * again works only while no out-of-order range is held (their payload was dropped)
     * and not after StopSending().
     * \param discard true to discard
     */
    void SetDiscardPayload(bool discard);

    /**
     * \param enable fold every new byte into GetChecksum() (a pass over the data)
     */
    void SetChecksumEnabled(bool enable)
    {
        m_checksumEnabled = enable;
    }

    /**
     * \param enable compare every new byte with QuicStreamPattern (memcmp) and count
     *        mismatching pieces in GetPatternMismatches()
     */
    void SetVerifyPattern(bool enable)
    {
        m_verifyPattern = enable;
    }

    /// \return the stream id
    uint64_t GetId() const
    {
        return m_id;
    }

    /// \return the §3.2 state
    State GetState() const
    {
        return m_state;
    }

    /// \return true in Data Read or Reset Read
    bool IsTerminal() const
    {
        return m_state == DATA_READ || m_state == RESET_READ;
    }

    // --- peer frames --------------------------------------------------------

    /**
     * \brief A STREAM frame (§19.8).
     * \param offset its offset
     * \param data its payload (length bytes)
     * \param length payload length
     * \param fin its FIN bit
     * \return NO_ERROR, FINAL_SIZE_ERROR or FLOW_CONTROL_ERROR (state unchanged on error)
     */
    QuicTransportError OnStreamFrame(uint64_t offset,
                                     const uint8_t* data,
                                     uint64_t length,
                                     bool fin);

    /**
     * \brief A STREAM frame (§19.8) whose in-order bytes the caller takes at once.
     *
     * Like OnStreamFrame(offset, data, length, fin), except that when the frame's new bytes
     * directly follow everything read so far (nothing unread and nothing out of order is
     * buffered), they are not copied into the stream's buffer: they count as read, and
     * \p direct / \p directLength point at them inside \p data for the caller to hand to the
     * application before \p data goes away. Otherwise (or on error) \p directLength is 0 and
     * the bytes are buffered as usual.
     * \param offset its offset
     * \param data its payload (length bytes)
     * \param length payload length
     * \param fin its FIN bit
     * \param direct set to the first in-order byte inside data
     * \param directLength set to the number of bytes read that way (0: none)
     * \return NO_ERROR, FINAL_SIZE_ERROR or FLOW_CONTROL_ERROR (state unchanged on error)
     */
    QuicTransportError OnStreamFrame(uint64_t offset,
                                     const uint8_t* data,
                                     uint64_t length,
                                     bool fin,
                                     const uint8_t*& direct,
                                     uint64_t& directLength);

    /**
     * \brief A RESET_STREAM frame (§19.4).
     * \param applicationErrorCode its error code
     * \param finalSize its final size
     * \return NO_ERROR, FINAL_SIZE_ERROR or FLOW_CONTROL_ERROR (state unchanged on error)
     */
    QuicTransportError OnResetStream(uint64_t applicationErrorCode, uint64_t finalSize);

    /**
     * \brief A STREAM_DATA_BLOCKED frame (§19.13): an update is due once credit is free.
     * \param limit its value
     */
    void OnStreamDataBlocked(uint64_t limit);

    // --- application --------------------------------------------------------

    /**
     * \brief Read contiguous bytes.
     * \param dst destination
     * \param maxLength its size
     * \return bytes copied; 0 when none is readable. In Reset Recvd, moves to Reset Read.
     */
    size_t Read(uint8_t* dst, size_t maxLength);

    /**
     * \brief Consume contiguous bytes without copying them (a sink that only counts).
     * \param maxLength at most this many
     * \return bytes consumed
     */
    uint64_t Skip(uint64_t maxLength);

    /// \return bytes readable now (contiguous and unread)
    uint64_t GetReadableBytes() const
    {
        return m_discard ? 0 : m_contiguousEnd - m_readOffset;
    }

    /// \return true when every byte up to the FIN was read
    bool IsFinished() const
    {
        return m_state == DATA_READ;
    }

    /**
     * \brief Note that the end of the stream was reported to the application.
     * \return true the first time (the caller reports it then), false afterwards
     */
    bool MarkFinReported()
    {
        const bool first = !m_finReported;
        m_finReported = true;
        return first;
    }

    /// \return true if the peer reset the stream (Reset Recvd or Reset Read)
    bool IsReset() const
    {
        return m_state == RESET_RECVD || m_state == RESET_READ;
    }

    /// \return the peer's RESET_STREAM error code (valid when IsReset())
    uint64_t GetResetErrorCode() const
    {
        return m_resetErrorCode;
    }

    /**
     * \brief Abort reading (§3.5): queue STOP_SENDING, drop buffered data, discard the rest.
     * \param applicationErrorCode the code to send
     * \return false unless in Recv or Size Known
     */
    bool StopSending(uint64_t applicationErrorCode);

    // --- control frames -----------------------------------------------------

    /// \return true if a MAX_STREAM_DATA frame should be sent (Recv state only, §3.3)
    bool ShouldSendMaxStreamData() const;

    /**
     * \brief Advertise more credit (MAX_STREAM_DATA), auto-tuning the window.
     * \param now current time
     * \param rtt smoothed RTT
     * \return the value for the frame
     */
    uint64_t TakeMaxStreamData(Time now = Time(0), Time rtt = Time(0));

    /// \param limit value of a lost MAX_STREAM_DATA frame
    void OnMaxStreamDataLost(uint64_t limit);

    /// \return true if a STOP_SENDING frame should be sent
    bool ShouldSendStopSending() const
    {
        return m_stopSendingPending;
    }

    /// \return the error code for STOP_SENDING, marked as sent
    uint64_t TakeStopSending();

    /// \brief The STOP_SENDING was lost: resend while still in Recv or Size Known.
    void OnStopSendingLost();

    // --- observers ----------------------------------------------------------

    /// \return bytes delivered (read, skipped, or discarded in order)
    uint64_t GetBytesDelivered() const
    {
        return m_delivered;
    }

    /// \return read offset: bytes consumed by the application
    uint64_t GetReadOffset() const
    {
        return m_readOffset;
    }

    /// \return every offset below this has arrived
    uint64_t GetContiguousOffset() const
    {
        return m_contiguousEnd;
    }

    /// \return largest received offset + 1 (what flow control counts)
    uint64_t GetHighestReceivedOffset() const
    {
        return m_highest;
    }

    /// \return bytes held: received and not yet read (0 in discard mode)
    uint64_t GetBufferedBytes() const
    {
        return m_discard ? 0 : (m_contiguousEnd - m_readOffset) + m_ranges.GetTotalLength();
    }

    /// \return allocated ring-buffer bytes
    uint64_t GetBufferCapacity() const
    {
        return m_buffer.size();
    }

    /// \return bytes that arrived more than once
    uint64_t GetDuplicateBytes() const
    {
        return m_duplicate;
    }

    /// \return distinct bytes received
    uint64_t GetUniqueBytes() const
    {
        return m_unique;
    }

    /// \return true once the final size is known (FIN or RESET_STREAM)
    bool IsFinalSizeKnown() const
    {
        return m_finalKnown;
    }

    /// \return the final size (valid when IsFinalSizeKnown())
    uint64_t GetFinalSize() const
    {
        return m_finalSize;
    }

    /// \return the checksum of the distinct bytes received (when enabled)
    const QuicStreamChecksum& GetChecksum() const
    {
        return m_checksum;
    }

    /// \return pieces that did not match QuicStreamPattern (when verifying)
    uint64_t GetPatternMismatches() const
    {
        return m_patternMismatches;
    }

    /// \return the out-of-order ranges above the contiguous offset
    const QuicRangeSet& GetOutOfOrderRanges() const
    {
        return m_ranges;
    }

    /// \return the stream-level credit we grant
    const QuicReceiveFlowControl& GetFlowControl() const
    {
        return m_flow;
    }

  private:
    friend class QuicStreamManager;

    /**
     * \brief Consume bytes from the read offset: flow control, counters, states.
     * \param n bytes, at most contiguous - read
     */
    void Consume(uint64_t n);
    /// \brief Move to Data Recvd / Data Read when everything arrived / was read.
    void CheckComplete();
    /// \brief Stop buffering: release the buffer and return unread credit (reset or abort).
    void Abandon();
    /**
     * \brief Make the ring hold [read offset, end).
     * \param end one past the largest offset to store
     */
    void EnsureCapacity(uint64_t end);
    /**
     * \brief Store new bytes (already clipped to unseen ones).
     * \param offset stream offset
     * \param data bytes
     * \param length byte count
     */
    void Store(uint64_t offset, const uint8_t* data, uint64_t length);
    /**
     * \brief Checksum and pattern check of new bytes, the part of Store() that does not
     * depend on where they are kept.
     * \param offset stream offset
     * \param data bytes
     * \param length byte count
     */
    void Inspect(uint64_t offset, const uint8_t* data, uint64_t length);
    /**
     * \brief The STREAM frame logic shared by both OnStreamFrame() variants.
     * \param offset its offset
     * \param data its payload
     * \param length payload length
     * \param fin its FIN bit
     * \param direct if not null, in-order bytes may be read in place (see OnStreamFrame)
     * \param directLength set with direct
     * \return the frame's verdict
     */
    QuicTransportError DoStreamFrame(uint64_t offset,
                                     const uint8_t* data,
                                     uint64_t length,
                                     bool fin,
                                     const uint8_t** direct,
                                     uint64_t* directLength);
    /// \brief Tell the owning manager that the stream's work may have changed.
    void Notify();

    uint64_t m_id;                                 //!< stream id
    State m_state{RECV};                           //!< §3.2 state
    QuicReceiveFlowControl m_flow;                 //!< MAX_STREAM_DATA credit we grant
    QuicReceiveFlowControl* m_connection{nullptr}; //!< MAX_DATA credit, may be null
    bool m_discard{false};                         //!< discard payload
    bool m_finReported{false};                     //!< MarkFinReported() was called
    bool m_checksumEnabled{false};                 //!< maintain m_checksum
    bool m_verifyPattern{false};                   //!< compare with QuicStreamPattern
    bool m_abandoned{false};                       //!< reset or STOP_SENDING: drop all data
    std::vector<uint8_t> m_buffer;                 //!< ring buffer, byte k at k % size
    uint64_t m_readOffset{0};                      //!< bytes consumed
    uint64_t m_contiguousEnd{0};                   //!< all bytes below have arrived
    QuicRangeSet m_ranges;                         //!< arrived ranges above m_contiguousEnd
    uint64_t m_highest{0};                         //!< largest received offset + 1
    bool m_finalKnown{false};                      //!< final size known
    uint64_t m_finalSize{0};                       //!< final size
    uint64_t m_resetErrorCode{0};                  //!< RESET_STREAM error code
    bool m_stopSendingPending{false};              //!< STOP_SENDING to send
    bool m_stopSendingRequested{false};            //!< StopSending() called
    uint64_t m_stopSendingCode{0};                 //!< its error code
    uint64_t m_delivered{0};                       //!< bytes delivered in order
    uint64_t m_duplicate{0};                       //!< bytes received again
    uint64_t m_unique{0};                          //!< distinct bytes received
    QuicStreamChecksum m_checksum;                 //!< checksum of distinct bytes
    uint64_t m_patternMismatches{0};               //!< pieces failing the pattern check
    QuicStream* m_owner{nullptr};                  //!< owning stream when managed
};

// ---------------------------------------------------------------------------
// A stream and the stream manager
// ---------------------------------------------------------------------------

/**
 * \ingroup quic-migration
 * \brief One stream of a connection: its id and its sending and/or receiving part
 * (a bidirectional stream has both, a unidirectional one the part our role gives us).
 *
 * Created and destroyed by QuicStreamManager; the parts report changes to it so that
 * the stream is (un)queued for sending in O(1). Pointers stay valid until
 * QuicStreamManager::RemoveClosedStreams() removes the stream.
 */
class QuicStream
{
  public:
    /// \return the stream id
    uint64_t GetId() const
    {
        return m_id;
    }

    /// \return the sending part, or null on a receive-only stream
    QuicSendStream* GetSendStream()
    {
        return m_send ? &*m_send : nullptr;
    }

    /// \return the receiving part, or null on a send-only stream
    QuicReceiveStream* GetReceiveStream()
    {
        return m_receive ? &*m_receive : nullptr;
    }

    /// \return true if both parts are terminal (or absent): the stream can be removed
    bool IsClosed() const;

    /// \return true if a control frame is pending on either part
    bool HasPendingControl() const;

  private:
    friend class QuicStreamManager;
    friend class QuicSendStream;
    friend class QuicReceiveStream;

    /// The intrusive queues a stream can be in.
    enum Queue : uint8_t
    {
        QUEUE_PRIORITY, //!< lost data or a FIN to send (no credit needed)
        QUEUE_NEW,      //!< new data within stream credit
        QUEUE_CONTROL,  //!< control frames pending
        QUEUE_ACCEPT,   //!< opened by the peer, not yet accepted
        QUEUE_CLOSED,   //!< closed, waiting for removal
        QUEUE_COUNT,
    };

    /// Links of one intrusive queue.
    struct Link
    {
        QuicStream* prev{nullptr}; //!< previous stream
        QuicStream* next{nullptr}; //!< next stream
        bool linked{false};        //!< in the queue
    };

    /**
     * \param id stream id
     * \param manager owner
     */
    QuicStream(uint64_t id, QuicStreamManager* manager)
        : m_id(id),
          m_manager(manager)
    {
    }

    uint64_t m_id;                              //!< stream id
    QuicStreamManager* m_manager;               //!< owner
    std::optional<QuicSendStream> m_send;       //!< sending part
    std::optional<QuicReceiveStream> m_receive; //!< receiving part
    Link m_links[QUEUE_COUNT];                  //!< intrusive queue links
};

/**
 * \ingroup quic-migration
 * \brief Limits and sizes the stream layer uses (the flow-control part of the transport
 * parameters, RFC 9000 §18.2, plus local buffer policy).
 */
struct QuicStreamLimits
{
    uint64_t maxData{0};                 //!< initial_max_data
    uint64_t maxStreamDataBidiLocal{0};  //!< initial_max_stream_data_bidi_local
    uint64_t maxStreamDataBidiRemote{0}; //!< initial_max_stream_data_bidi_remote
    uint64_t maxStreamDataUni{0};        //!< initial_max_stream_data_uni
    uint64_t maxStreamsBidi{0};          //!< initial_max_streams_bidi
    uint64_t maxStreamsUni{0};           //!< initial_max_streams_uni
};

/**
 * \ingroup quic-migration
 * \brief Configuration of a QuicStreamManager.
 *
 * Defaults: 1 MiB connection window auto-tuned to 24 MiB, 512 KiB stream windows
 * auto-tuned to 16 MiB, 100 streams of each type, 1 MiB send buffer per stream.
 */
struct QuicStreamManagerConfig
{
    QuicStreamInitiator role{QuicStreamInitiator::CLIENT}; //!< our role
    /// What we advertise in our transport parameters.
    QuicStreamLimits local{1 << 20, 512 << 10, 512 << 10, 512 << 10, 100, 100};
    uint64_t maxConnectionWindow{24 << 20}; //!< auto-tuning cap of the connection window
    uint64_t maxStreamWindow{16 << 20};     //!< auto-tuning cap of stream windows
    uint64_t sendBufferSize{QuicSendStream::DEFAULT_SEND_BUFFER}; //!< per-stream send buffer
    bool discardReceivedPayload{false};  //!< new receiving parts discard payload
    bool checksumReceivedPayload{false}; //!< new receiving parts keep a checksum
    bool verifyReceivedPattern{false};   //!< new receiving parts check QuicStreamPattern
};

/**
 * \ingroup quic-migration
 * \brief The streams of one connection (RFC 9000 §2-§4, §19.4-§19.14).
 *
 * What it owns:
 * - The streams, in a hash map by id (O(1) lookup), each created with the initial
 *   credits that apply to its type and our role (§18.2: bidi_local / bidi_remote / uni,
 *   ours for receiving, the peer's for sending).
 * - Connection flow control (QuicFlowController), stream-count limits for both
 *   directions and types (QuicLocalStreamLimit, QuicPeerStreamLimit).
 * - Validation of peer frames (§19.4-§19.13): wrong direction or a local stream not
 *   yet opened is STREAM_STATE_ERROR; a peer stream at or above our MAX_STREAMS is
 *   STREAM_LIMIT_ERROR; a peer stream above the highest opened one opens all lower
 *   ones of its type (§3.2) and queues them for AcceptStream(). Frames for streams
 *   already closed and removed are ignored.
 * - Scheduling: intrusive queues (no allocation, O(1) per change). NextStreamChunk()
 *   serves retransmissions and FINs first, then new data, each round-robin one chunk
 *   per turn; with no connection credit it arms DATA_BLOCKED instead of scanning.
 *   NextControlFrame() yields MAX_DATA, MAX_STREAMS, per-stream frames (RESET_STREAM,
 *   STOP_SENDING, MAX_STREAM_DATA, STREAM_DATA_BLOCKED), then DATA_BLOCKED and
 *   STREAMS_BLOCKED, and takes them back on loss (§13.3).
 * - Removal: a stream whose parts are terminal is queued as closed;
 *   RemoveClosedStreams() destroys it and returns its peer-stream credit (MAX_STREAMS).
 *
 * Usage by the connection: SetPeerLimits() from the peer's transport parameters; on
 * each received frame the matching On*() (a non-NO_ERROR return closes the
 * connection with that code); when building a packet NextControlFrame() then
 * NextStreamChunk() + CopyStreamData(); on ack/loss OnStreamChunkAcked/Lost and
 * OnControlFrameAcked/Lost; RemoveClosedStreams() after processing.
 *
 * Left out: priorities, 0-RTT remembered limits, and stream state for removed streams.
 */
class QuicStreamManager
{
  public:
    /// \param config role, local limits and buffer policy
    explicit QuicStreamManager(const QuicStreamManagerConfig& config = QuicStreamManagerConfig());
    ~QuicStreamManager();

    QuicStreamManager(const QuicStreamManager&) = delete;            //!< not copyable
    QuicStreamManager& operator=(const QuicStreamManager&) = delete; //!< not copyable \return this

    /// \return our role
    QuicStreamInitiator GetRole() const
    {
        return m_config.role;
    }

    /**
     * \brief The peer's transport parameters (§18.2): connection and stream credits, stream
     * counts. Credits of streams already open are raised accordingly.
     * \param peer the peer's limits
     * \return NO_ERROR, or TRANSPORT_PARAMETER_ERROR if a stream count exceeds 2^60 (§4.6)
     */
    QuicTransportError SetPeerLimits(const QuicStreamLimits& peer);

    // --- streams ------------------------------------------------------------

    /**
     * \brief Open the next local stream of a direction.
     * \param direction bidirectional or unidirectional
     * \return the stream, or null at the peer's limit (STREAMS_BLOCKED is then armed)
     */
    QuicStream* OpenStream(QuicStreamDirection direction);

    /**
     * \param id a stream id
     * \return the stream, or null if not open (never opened, or closed and removed)
     */
    QuicStream* GetStream(uint64_t id);

    /// \return the next stream opened by the peer and not yet accepted, or null
    QuicStream* AcceptStream();

    /// \return number of streams held
    size_t GetStreamCount() const
    {
        return m_streams.size();
    }

    /**
     * \brief Destroy closed streams and return their peer-stream credit.
     * \return how many were removed
     */
    size_t RemoveClosedStreams();

    // --- received frames ----------------------------------------------------

    /**
     * \brief STREAM frame (§19.8).
     * \param id stream id
     * \param offset offset
     * \param data payload
     * \param length payload length
     * \param fin FIN bit
     * \return NO_ERROR or the connection error
     */
    QuicTransportError OnStreamFrame(uint64_t id,
                                     uint64_t offset,
                                     const uint8_t* data,
                                     uint64_t length,
                                     bool fin);

    /**
     * \brief STREAM frame (§19.8) whose in-order bytes the caller hands to the application
     * at once, without buffering them (see QuicReceiveStream::OnStreamFrame with \p direct).
     * \param id stream id
     * \param offset offset
     * \param data payload
     * \param length payload length
     * \param fin FIN bit
     * \param direct set to the first in-order byte inside data
     * \param directLength set to the number of bytes read that way (0: none)
     * \return NO_ERROR or the connection error
     */
    QuicTransportError OnStreamFrame(uint64_t id,
                                     uint64_t offset,
                                     const uint8_t* data,
                                     uint64_t length,
                                     bool fin,
                                     const uint8_t*& direct,
                                     uint64_t& directLength);

    /**
     * \brief RESET_STREAM frame (§19.4).
     * \param id stream id
     * \param applicationErrorCode error code
     * \param finalSize final size
     * \return NO_ERROR or the connection error
     */
    QuicTransportError OnResetStream(uint64_t id,
                                     uint64_t applicationErrorCode,
                                     uint64_t finalSize);

    /**
     * \brief STOP_SENDING frame (§19.5).
     * \param id stream id
     * \param applicationErrorCode error code
     * \return NO_ERROR or the connection error
     */
    QuicTransportError OnStopSending(uint64_t id, uint64_t applicationErrorCode);

    /**
     * \brief MAX_STREAM_DATA frame (§19.10).
     * \param id stream id
     * \param maxStreamData value
     * \return NO_ERROR or the connection error
     */
    QuicTransportError OnMaxStreamData(uint64_t id, uint64_t maxStreamData);

    /**
     * \brief STREAM_DATA_BLOCKED frame (§19.13).
     * \param id stream id
     * \param limit value
     * \return NO_ERROR or the connection error
     */
    QuicTransportError OnStreamDataBlocked(uint64_t id, uint64_t limit);

    /**
     * \brief MAX_DATA frame (§19.9).
     * \param maxData value
     */
    void OnMaxData(uint64_t maxData);

    /**
     * \brief DATA_BLOCKED frame (§19.12).
     * \param limit value
     */
    void OnDataBlocked(uint64_t limit);

    /**
     * \brief MAX_STREAMS frame (§19.11).
     * \param direction 0x12 bidi, 0x13 uni
     * \param maxStreams value
     * \return NO_ERROR, or FRAME_ENCODING_ERROR above 2^60
     */
    QuicTransportError OnMaxStreams(QuicStreamDirection direction, uint64_t maxStreams);

    /**
     * \brief STREAMS_BLOCKED frame (§19.14).
     * \param direction 0x16 bidi, 0x17 uni
     * \param limit value
     * \return NO_ERROR, or STREAM_LIMIT_ERROR above 2^60
     */
    QuicTransportError OnStreamsBlocked(QuicStreamDirection direction, uint64_t limit);

    /**
     * \brief Find (or implicitly open) the stream a peer frame names, applying §19 rules.
     * \param id stream id
     * \param kind the frame
     * \param stream receives the stream, or null for a stream closed and removed
     * \return NO_ERROR, STREAM_STATE_ERROR, STREAM_LIMIT_ERROR or FRAME_ENCODING_ERROR
     */
    QuicTransportError GetStreamForPeerFrame(uint64_t id,
                                             QuicStreamFrameKind kind,
                                             QuicStream*& stream);

    // --- sending ------------------------------------------------------------

    /// \return true if some stream has data or a FIN that can be sent now
    bool HasStreamData() const;

    /**
     * \brief Next STREAM chunk, round-robin over streams (retransmissions first).
     * \param maxLength largest payload the packet can take
     * \param chunk receives it
     * \return false if nothing can be sent
     */
    bool NextStreamChunk(uint64_t maxLength, QuicStreamChunk& chunk);

    /**
     * \brief Copy the payload of a chunk just returned by NextStreamChunk.
     * \param chunk the chunk
     * \param dst destination, chunk.length bytes
     * \return false if unavailable
     */
    bool CopyStreamData(const QuicStreamChunk& chunk, uint8_t* dst);

    /// \param chunk a sent chunk now acknowledged
    void OnStreamChunkAcked(const QuicStreamChunk& chunk);

    /// \param chunk a sent chunk declared lost
    void OnStreamChunkLost(const QuicStreamChunk& chunk);

    /// \return true if a control frame is waiting
    bool HasControlFrame() const;

    /**
     * \brief Next control frame to send, marked as sent. If it then does not fit in the
     * packet, hand it back with OnControlFrameLost().
     * \param frame receives it
     * \param now current time (window auto-tuning)
     * \param rtt smoothed RTT (window auto-tuning)
     * \return false if none is waiting
     */
    bool NextControlFrame(QuicStreamControlFrame& frame, Time now = Time(0), Time rtt = Time(0));

    /// \param frame a sent control frame now acknowledged
    void OnControlFrameAcked(const QuicStreamControlFrame& frame);

    /// \param frame a sent control frame declared lost (resent if still relevant, §13.3)
    void OnControlFrameLost(const QuicStreamControlFrame& frame);

    /// \brief Allow DATA_BLOCKED / STREAM_DATA_BLOCKED again (nothing in flight, §4.1).
    void RearmBlockedSignals();

    // --- state --------------------------------------------------------------

    /// \return connection flow control
    QuicFlowController& GetFlowController()
    {
        return m_flow;
    }

    /// \return limit on our bidirectional streams
    const QuicLocalStreamLimit& GetLocalBidiLimit() const
    {
        return m_localBidi;
    }

    /// \return limit on our unidirectional streams
    const QuicLocalStreamLimit& GetLocalUniLimit() const
    {
        return m_localUni;
    }

    /// \return limit on the peer's bidirectional streams
    const QuicPeerStreamLimit& GetPeerBidiLimit() const
    {
        return m_peerBidi;
    }

    /// \return limit on the peer's unidirectional streams
    const QuicPeerStreamLimit& GetPeerUniLimit() const
    {
        return m_peerUni;
    }

    /**
     * \brief Re-evaluate which queues a stream belongs in (called by its parts).
     * \param stream the stream
     */
    void Reschedule(QuicStream* stream);

  private:
    /**
     * \param id a stream id
     * \return the open stream with that id, or null (remembers the last one found)
     */
    QuicStream* Find(uint64_t id);

    /**
     * \brief Both OnStreamFrame() variants.
     * \param id stream id
     * \param offset offset
     * \param data payload
     * \param length payload length
     * \param fin FIN bit
     * \param direct set to the first byte taken in place (allowDirect only)
     * \param directLength set to the number of bytes taken in place (0: none)
     * \param allowDirect whether in-order bytes may be taken in place
     * \return NO_ERROR or the connection error
     */
    QuicTransportError DoStreamFrame(uint64_t id,
                                     uint64_t offset,
                                     const uint8_t* data,
                                     uint64_t length,
                                     bool fin,
                                     const uint8_t*& direct,
                                     uint64_t& directLength,
                                     bool allowDirect);

    /// A head/tail pair of an intrusive queue.
    struct QueueHead
    {
        QuicStream* head{nullptr}; //!< first
        QuicStream* tail{nullptr}; //!< last
        size_t size{0};            //!< length
    };

    /**
     * \param q queue kind
     * \param s stream to append (if not already queued)
     */
    void Link(QuicStream::Queue q, QuicStream* s);
    /**
     * \param q queue kind
     * \param s stream to remove (if queued)
     */
    void Unlink(QuicStream::Queue q, QuicStream* s);
    /**
     * \brief Move the head of a queue to its tail (round-robin turn).
     * \param q queue kind
     */
    void Rotate(QuicStream::Queue q);
    /**
     * \brief Create a stream with both parts as its type and our role require.
     * \param id stream id
     * \return the stream
     */
    QuicStream* CreateStream(uint64_t id);
    /**
     * \brief Take a stream-level control frame from a stream.
     * \param s the stream
     * \param frame receives the frame
     * \param now time
     * \param rtt RTT
     * \return false if it had none
     */
    bool TakeStreamControl(QuicStream* s, QuicStreamControlFrame& frame, Time now, Time rtt);
    /**
     * \param id stream id
     * \return our initial receive window for it
     */
    uint64_t LocalReceiveWindow(uint64_t id) const;
    /**
     * \param id stream id
     * \return the peer's initial credit for our sending on it
     */
    uint64_t PeerSendCredit(uint64_t id) const;

    QuicStreamManagerConfig m_config; //!< configuration
    QuicStreamLimits m_peer;          //!< the peer's limits
    QuicFlowController m_flow;        //!< MAX_DATA both ways
    QuicLocalStreamLimit m_localBidi; //!< our bidi streams
    QuicLocalStreamLimit m_localUni;  //!< our uni streams
    QuicPeerStreamLimit m_peerBidi;   //!< the peer's bidi streams
    QuicPeerStreamLimit m_peerUni;    //!< the peer's uni streams
    std::unordered_map<uint64_t, std::unique_ptr<QuicStream>> m_streams; //!< by id
    uint64_t m_lastFoundId{0};                                           //!< id of m_lastFound
    QuicStream* m_lastFound{nullptr};            //!< the stream Find() returned last (null: none)
    QueueHead m_queues[QuicStream::QUEUE_COUNT]; //!< intrusive queues
};

} // namespace ns3

#endif /* QUIC_STREAM_H */
