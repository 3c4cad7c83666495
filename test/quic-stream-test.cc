/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Streams (RFC 9000 §2-§4, §19.4-§19.14): stream ids, range sets, the sending and
// receiving parts of a stream, stream and connection flow control, stream limits,
// the stream manager, and a 100 MB transfer over a lossy, reordering channel.
// All tests drive the logic directly: no Simulator, no sockets.

#include "quic-ns3-compat.h"

#include "ns3/quic-error.h"
#include "ns3/quic-stream.h"
#include "ns3/test.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <random>
#include <vector>

using namespace ns3;

namespace
{

/// \return NO_ERROR, to compare with
constexpr QuicTransportError OK = QuicTransportError::NO_ERROR;

/**
 * \brief Deterministic bytes for tests (splitmix64 stream).
 * \param n count
 * \param seed seed
 * \return the bytes
 */
std::vector<uint8_t>
MakeBytes(size_t n, uint64_t seed)
{
    std::vector<uint8_t> v(n);
    uint64_t x = seed;
    for (auto& b : v)
    {
        x += 0x9E3779B97F4A7C15ULL;
        uint64_t z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        b = static_cast<uint8_t>(z >> 56);
    }
    return v;
}

/**
 * \brief Uniform draw in [0, n) from a std::mt19937_64 (deterministic across platforms).
 * \param rng generator
 * \param n bound, > 0
 * \return the draw
 */
uint64_t
Draw(std::mt19937_64& rng, uint64_t n)
{
    return rng() % n;
}

/**
 * \brief Fisher-Yates shuffle with Draw() (std::shuffle is implementation-defined).
 * \param v vector
 * \param rng generator
 */
template <typename T>
void
Shuffle(std::vector<T>& v, std::mt19937_64& rng)
{
    for (size_t i = v.size(); i > 1; --i)
    {
        std::swap(v[i - 1], v[Draw(rng, i)]);
    }
}

/**
 * \param role a role
 * \return the other role
 */
QuicStreamInitiator
Other(QuicStreamInitiator role)
{
    return role == QuicStreamInitiator::CLIENT ? QuicStreamInitiator::SERVER
                                               : QuicStreamInitiator::CLIENT;
}

/**
 * \brief Limits for tests.
 * \param maxData initial_max_data
 * \param streamData all three initial_max_stream_data_*
 * \param bidi initial_max_streams_bidi
 * \param uni initial_max_streams_uni
 * \return the limits
 */
QuicStreamLimits
Limits(uint64_t maxData, uint64_t streamData, uint64_t bidi, uint64_t uni)
{
    QuicStreamLimits l;
    l.maxData = maxData;
    l.maxStreamDataBidiLocal = streamData;
    l.maxStreamDataBidiRemote = streamData;
    l.maxStreamDataUni = streamData;
    l.maxStreamsBidi = bidi;
    l.maxStreamsUni = uni;
    return l;
}

/**
 * \brief A manager configuration without auto-tuning.
 * \param role our role
 * \param local our limits
 * \return the configuration
 */
QuicStreamManagerConfig
Config(QuicStreamInitiator role, const QuicStreamLimits& local)
{
    QuicStreamManagerConfig c;
    c.role = role;
    c.local = local;
    c.maxConnectionWindow = 0;
    c.maxStreamWindow = 0;
    return c;
}

} // namespace

/**
 * Check a QuicTransportError by name (the enum has no stream operator).
 * \param actual the code returned
 * \param expected the code expected
 * \param msg message
 */
#define QUIC_TEST_ASSERT_ERROR(actual, expected, msg)                                              \
    NS_TEST_ASSERT_MSG_EQ(QuicTransportErrorName(actual), QuicTransportErrorName(expected), msg)

/**
 * \ingroup quic-migration-tests
 * Stream-id helpers for the four types of RFC 9000 Table 1, and the §19 id checks.
 */
class QuicStreamIdTestCase : public TestCase
{
  public:
    QuicStreamIdTestCase()
        : TestCase("stream ids: four types, n-th stream, direction checks (§2.1, §19)")
    {
    }

  private:
    void DoRun() override
    {
        using I = QuicStreamInitiator;
        using D = QuicStreamDirection;

        struct Row
        {
            I initiator;
            D direction;
            uint64_t first;
        };

        const Row rows[] = {{I::CLIENT, D::BIDIRECTIONAL, 0},
                            {I::SERVER, D::BIDIRECTIONAL, 1},
                            {I::CLIENT, D::UNIDIRECTIONAL, 2},
                            {I::SERVER, D::UNIDIRECTIONAL, 3}};
        for (const auto& r : rows)
        {
            NS_TEST_ASSERT_MSG_EQ(QuicStreamIdMake(r.initiator, r.direction, 0),
                                  r.first,
                                  "first id of type");
            const uint64_t third = QuicStreamIdMake(r.initiator, r.direction, 2);
            NS_TEST_ASSERT_MSG_EQ(third, r.first + 8, "third stream of type");
            NS_TEST_ASSERT_MSG_EQ(QuicStreamIdIndex(third), 2, "index");
            NS_TEST_ASSERT_MSG_EQ(uint32_t(QuicStreamIdType(third)), r.first, "type bits");
            NS_TEST_ASSERT_MSG_EQ((QuicStreamIdInitiator(third) == r.initiator), true, "init");
            NS_TEST_ASSERT_MSG_EQ((QuicStreamIdDirection(third) == r.direction), true, "dir");
            NS_TEST_ASSERT_MSG_EQ(QuicStreamIdIsLocal(third, r.initiator), true, "local");
            NS_TEST_ASSERT_MSG_EQ(QuicStreamIdIsLocal(third, Other(r.initiator)), false, "peer");
            const bool bidi = r.direction == D::BIDIRECTIONAL;
            NS_TEST_ASSERT_MSG_EQ(QuicStreamIdIsBidirectional(third), bidi, "bidi bit");
            // The initiator always sends; the peer sends only on bidirectional streams.
            NS_TEST_ASSERT_MSG_EQ(QuicStreamIdCanSend(third, r.initiator), true, "init sends");
            NS_TEST_ASSERT_MSG_EQ(QuicStreamIdCanReceive(third, r.initiator), bidi, "init recv");
            NS_TEST_ASSERT_MSG_EQ(QuicStreamIdCanSend(third, Other(r.initiator)), bidi, "peer s");
            NS_TEST_ASSERT_MSG_EQ(QuicStreamIdCanReceive(third, Other(r.initiator)),
                                  true,
                                  "peer receives");
        }
        // §19.11 example: a server with a uni limit of 3 may open 3, 7 and 11, not 15.
        NS_TEST_ASSERT_MSG_EQ(QuicStreamIdMake(I::SERVER, D::UNIDIRECTIONAL, 3), 15, "id 15");
        NS_TEST_ASSERT_MSG_EQ(QuicStreamIdIsValid(QUIC_STREAM_ID_MAX), true, "2^62-1 valid");
        NS_TEST_ASSERT_MSG_EQ(QuicStreamIdIsValid(QUIC_STREAM_ID_MAX + 1), false, "2^62 invalid");

        // Direction checks as seen by a client (§19.4, §19.5, §19.8, §19.10, §19.13).
        const I me = I::CLIENT;
        QUIC_TEST_ASSERT_ERROR(QuicStreamIdCheckPeerFrame(2, QuicStreamFrameKind::STREAM, me),
                               QuicTransportError::STREAM_STATE_ERROR,
                               "STREAM on our uni stream");
        QUIC_TEST_ASSERT_ERROR(QuicStreamIdCheckPeerFrame(2, QuicStreamFrameKind::RESET_STREAM, me),
                               QuicTransportError::STREAM_STATE_ERROR,
                               "RESET_STREAM on our uni stream");
        QUIC_TEST_ASSERT_ERROR(
            QuicStreamIdCheckPeerFrame(2, QuicStreamFrameKind::STREAM_DATA_BLOCKED, me),
            QuicTransportError::STREAM_STATE_ERROR,
            "STREAM_DATA_BLOCKED on our uni stream");
        QUIC_TEST_ASSERT_ERROR(QuicStreamIdCheckPeerFrame(2, QuicStreamFrameKind::STOP_SENDING, me),
                               OK,
                               "STOP_SENDING on our uni stream");
        QUIC_TEST_ASSERT_ERROR(
            QuicStreamIdCheckPeerFrame(3, QuicStreamFrameKind::MAX_STREAM_DATA, me),
            QuicTransportError::STREAM_STATE_ERROR,
            "MAX_STREAM_DATA on the peer's uni stream");
        QUIC_TEST_ASSERT_ERROR(QuicStreamIdCheckPeerFrame(3, QuicStreamFrameKind::STOP_SENDING, me),
                               QuicTransportError::STREAM_STATE_ERROR,
                               "STOP_SENDING on the peer's uni stream");
        QUIC_TEST_ASSERT_ERROR(QuicStreamIdCheckPeerFrame(3, QuicStreamFrameKind::STREAM, me),
                               OK,
                               "STREAM on the peer's uni stream");
        QUIC_TEST_ASSERT_ERROR(QuicStreamIdCheckPeerFrame(0, QuicStreamFrameKind::STREAM, me),
                               OK,
                               "STREAM on our bidi stream");
        QUIC_TEST_ASSERT_ERROR(
            QuicStreamIdCheckPeerFrame(1ULL << 62, QuicStreamFrameKind::STREAM, me),
            QuicTransportError::FRAME_ENCODING_ERROR,
            "id above 2^62-1");
    }
};

/**
 * \ingroup quic-migration-tests
 * Stream ids through the manager: peer streams above our MAX_STREAMS are
 * STREAM_LIMIT_ERROR, frames on the wrong direction or on local streams not yet
 * opened are STREAM_STATE_ERROR, and a peer stream opens all lower ones (§3.2).
 */
class QuicStreamIdValidationTestCase : public TestCase
{
  public:
    QuicStreamIdValidationTestCase()
        : TestCase("stream ids: STREAM_LIMIT_ERROR, STREAM_STATE_ERROR, implicit opening")
    {
    }

  private:
    void DoRun() override
    {
        const uint8_t byte = 0x42;
        QuicStreamManager server(Config(QuicStreamInitiator::SERVER, Limits(1 << 20, 1000, 4, 2)));
        server.SetPeerLimits(Limits(1 << 20, 1000, 10, 10));

        // Client bidi ids 0, 4, 8, 12 are within a limit of 4; 16 is not.
        QUIC_TEST_ASSERT_ERROR(server.OnStreamFrame(16, 0, &byte, 1, false),
                               QuicTransportError::STREAM_LIMIT_ERROR,
                               "client bidi stream index 4 with limit 4");
        NS_TEST_ASSERT_MSG_EQ(server.GetStreamCount(), 0, "nothing opened by the bad frame");
        // Client uni ids 2, 6 within a limit of 2; 10 is not.
        QUIC_TEST_ASSERT_ERROR(server.OnStreamFrame(10, 0, &byte, 1, false),
                               QuicTransportError::STREAM_LIMIT_ERROR,
                               "client uni stream index 2 with limit 2");
        QUIC_TEST_ASSERT_ERROR(server.OnMaxStreamData(16, 5000),
                               QuicTransportError::STREAM_LIMIT_ERROR,
                               "MAX_STREAM_DATA also counts");

        // Stream 8 opens 0 and 4 too, in order.
        QUIC_TEST_ASSERT_ERROR(server.OnStreamFrame(8, 0, &byte, 1, false), OK, "stream 8");
        NS_TEST_ASSERT_MSG_EQ(server.GetStreamCount(), 3, "0, 4 and 8 opened");
        NS_TEST_ASSERT_MSG_EQ(server.GetPeerBidiLimit().GetOpened(), 3, "three opened");
        for (uint64_t id : {0, 4, 8})
        {
            QuicStream* s = server.AcceptStream();
            NS_TEST_ASSERT_MSG_NE(s, nullptr, "accepted");
            NS_TEST_ASSERT_MSG_EQ(s->GetId(), id, "accept order");
            NS_TEST_ASSERT_MSG_NE(s->GetSendStream(), nullptr, "bidi has a sending part");
            NS_TEST_ASSERT_MSG_NE(s->GetReceiveStream(), nullptr, "bidi has a receiving part");
        }
        NS_TEST_ASSERT_MSG_EQ(server.AcceptStream(), nullptr, "no more");
        NS_TEST_ASSERT_MSG_EQ(server.GetStream(8)->GetReceiveStream()->GetReadableBytes(),
                              1,
                              "1 byte");
        NS_TEST_ASSERT_MSG_EQ(server.GetStream(4)->GetReceiveStream()->GetReadableBytes(),
                              0,
                              "none");

        // A client uni stream: receive-only for the server.
        QUIC_TEST_ASSERT_ERROR(server.OnStreamFrame(2, 0, &byte, 1, false), OK, "stream 2");
        QuicStream* uni = server.GetStream(2);
        NS_TEST_ASSERT_MSG_EQ(uni->GetSendStream(), nullptr, "no sending part");
        QUIC_TEST_ASSERT_ERROR(server.OnMaxStreamData(2, 5000),
                               QuicTransportError::STREAM_STATE_ERROR,
                               "MAX_STREAM_DATA for a receive-only stream");
        QUIC_TEST_ASSERT_ERROR(server.OnStopSending(2, 7),
                               QuicTransportError::STREAM_STATE_ERROR,
                               "STOP_SENDING for a receive-only stream");

        // Server-initiated streams: not yet created -> STREAM_STATE_ERROR.
        QUIC_TEST_ASSERT_ERROR(server.OnMaxStreamData(1, 5000),
                               QuicTransportError::STREAM_STATE_ERROR,
                               "MAX_STREAM_DATA for our bidi stream not yet created");
        QUIC_TEST_ASSERT_ERROR(server.OnStreamFrame(1, 0, &byte, 1, false),
                               QuicTransportError::STREAM_STATE_ERROR,
                               "STREAM for our bidi stream not yet created");
        QuicStream* ours = server.OpenStream(QuicStreamDirection::UNIDIRECTIONAL);
        NS_TEST_ASSERT_MSG_EQ(ours->GetId(), 3, "first server uni stream");
        NS_TEST_ASSERT_MSG_EQ(ours->GetReceiveStream(), nullptr, "send-only");
        // The peer sending on our send-only stream.
        QUIC_TEST_ASSERT_ERROR(server.OnStreamFrame(3, 0, &byte, 1, false),
                               QuicTransportError::STREAM_STATE_ERROR,
                               "STREAM on our uni send-only stream");
        QUIC_TEST_ASSERT_ERROR(server.OnResetStream(3, 0, 0),
                               QuicTransportError::STREAM_STATE_ERROR,
                               "RESET_STREAM on our uni send-only stream");
        QUIC_TEST_ASSERT_ERROR(server.OnStreamDataBlocked(3, 0),
                               QuicTransportError::STREAM_STATE_ERROR,
                               "STREAM_DATA_BLOCKED on our uni send-only stream");
        QUIC_TEST_ASSERT_ERROR(server.OnMaxStreamData(3, 5000), OK, "MAX_STREAM_DATA is fine");
        NS_TEST_ASSERT_MSG_EQ(ours->GetSendStream()->GetFlowControl().GetLimit(),
                              5000,
                              "credit raised");
        QUIC_TEST_ASSERT_ERROR(server.OnStopSending(7, 1),
                               QuicTransportError::STREAM_STATE_ERROR,
                               "STOP_SENDING for our uni stream 7 not yet created");
    }
};

/**
 * \ingroup quic-migration-tests
 * QuicRangeSet: merging, splitting, gaps, and a randomised cross-check against a bitmap.
 */
class QuicRangeSetTestCase : public TestCase
{
  public:
    QuicRangeSetTestCase()
        : TestCase("range set: merge, split, gaps, random cross-check")
    {
    }

  private:
    void DoRun() override
    {
        QuicRangeSet s;
        s.Add(10, 20);
        s.Add(30, 40);
        NS_TEST_ASSERT_MSG_EQ(s.GetRangeCount(), 2, "two ranges");
        s.Add(20, 30); // adjacent on both sides: one range
        NS_TEST_ASSERT_MSG_EQ(s.GetRangeCount(), 1, "merged");
        NS_TEST_ASSERT_MSG_EQ(s.Front().first, 10, "start");
        NS_TEST_ASSERT_MSG_EQ(s.Front().second, 40, "end");
        NS_TEST_ASSERT_MSG_EQ(s.GetTotalLength(), 30, "total");
        s.Add(5, 12); // extends the start (re-keyed node)
        NS_TEST_ASSERT_MSG_EQ(s.Front().first, 5, "new start");
        NS_TEST_ASSERT_MSG_EQ(s.GetTotalLength(), 35, "total");
        s.Remove(15, 25); // split
        NS_TEST_ASSERT_MSG_EQ(s.GetRangeCount(), 2, "split");
        NS_TEST_ASSERT_MSG_EQ(s.GetTotalLength(), 25, "total after split");
        NS_TEST_ASSERT_MSG_EQ(s.Contains(5, 15), true, "left part");
        NS_TEST_ASSERT_MSG_EQ(s.Contains(14, 16), false, "across the hole");
        std::vector<std::pair<uint64_t, uint64_t>> gaps;
        s.VisitGaps(0, 50, [&](uint64_t a, uint64_t b) { gaps.emplace_back(a, b); });
        NS_TEST_ASSERT_MSG_EQ(gaps.size(), 3, "three gaps");
        NS_TEST_ASSERT_MSG_EQ(gaps[0].first, 0, "gap 0");
        NS_TEST_ASSERT_MSG_EQ(gaps[0].second, 5, "gap 0");
        NS_TEST_ASSERT_MSG_EQ(gaps[1].first, 15, "gap 1");
        NS_TEST_ASSERT_MSG_EQ(gaps[1].second, 25, "gap 1");
        NS_TEST_ASSERT_MSG_EQ(gaps[2].first, 40, "gap 2");
        NS_TEST_ASSERT_MSG_EQ(gaps[2].second, 50, "gap 2");
        s.Remove(0, 100);
        NS_TEST_ASSERT_MSG_EQ(s.IsEmpty(), true, "emptied");
        NS_TEST_ASSERT_MSG_EQ(s.GetTotalLength(), 0, "total 0");

        // Random operations against a bitmap.
        std::mt19937_64 rng(7);
        const uint64_t space = 2000;
        std::vector<bool> bits(space, false);
        QuicRangeSet r;
        for (int step = 0; step < 20000; ++step)
        {
            const uint64_t a = Draw(rng, space);
            const uint64_t b = std::min(space, a + 1 + Draw(rng, 60));
            if (Draw(rng, 3) == 0)
            {
                r.Remove(a, b);
                std::fill(bits.begin() + a, bits.begin() + b, false);
            }
            else
            {
                r.Add(a, b);
                std::fill(bits.begin() + a, bits.begin() + b, true);
            }
            if (step % 97 == 0)
            {
                // Rebuild the ranges from the bitmap and compare.
                std::vector<std::pair<uint64_t, uint64_t>> expect;
                uint64_t total = 0;
                for (uint64_t i = 0; i < space; ++i)
                {
                    if (!bits[i])
                    {
                        continue;
                    }
                    ++total;
                    if (!expect.empty() && expect.back().second == i)
                    {
                        expect.back().second = i + 1;
                    }
                    else
                    {
                        expect.emplace_back(i, i + 1);
                    }
                }
                std::vector<std::pair<uint64_t, uint64_t>> got(r.begin(), r.end());
                NS_TEST_ASSERT_MSG_EQ((got == expect), true, "ranges match bitmap, step " << step);
                NS_TEST_ASSERT_MSG_EQ(r.GetTotalLength(), total, "total, step " << step);
                uint64_t gapTotal = 0;
                r.VisitGaps(0, space, [&](uint64_t x, uint64_t y) { gapTotal += y - x; });
                NS_TEST_ASSERT_MSG_EQ(gapTotal, space - total, "gaps, step " << step);
            }
        }
    }
};

/**
 * \ingroup quic-migration-tests
 * Sending: chunks stop exactly at stream and connection credit; DATA_BLOCKED and
 * STREAM_DATA_BLOCKED carry the limits; non-increasing limits are ignored (§4.1).
 */
class QuicSendStreamCreditTestCase : public TestCase
{
  public:
    QuicSendStreamCreditTestCase()
        : TestCase("send: chunking at flow-control limits, blocked signals (§4.1, §19.12-13)")
    {
    }

  private:
    void DoRun() override
    {
        QuicSendFlowControl connection(600);
        QuicSendStream s(0, 1000);
        s.SetConnectionFlowControl(&connection);
        const auto data = MakeBytes(2000, 1);
        NS_TEST_ASSERT_MSG_EQ(s.Write(data.data(), data.size()), 2000, "all written");
        NS_TEST_ASSERT_MSG_EQ(s.GetState(), QuicSendStream::READY, "ready");

        QuicStreamChunk c;
        NS_TEST_ASSERT_MSG_EQ(s.NextChunk(400, c), true, "first chunk");
        NS_TEST_ASSERT_MSG_EQ(c.offset, 0, "offset");
        NS_TEST_ASSERT_MSG_EQ(c.length, 400, "packet-limited");
        NS_TEST_ASSERT_MSG_EQ(c.fin, false, "no fin");
        NS_TEST_ASSERT_MSG_EQ(s.GetState(), QuicSendStream::SEND, "send state");
        NS_TEST_ASSERT_MSG_EQ(s.NextChunk(400, c), true, "second chunk");
        NS_TEST_ASSERT_MSG_EQ(c.offset, 400, "offset");
        NS_TEST_ASSERT_MSG_EQ(c.length, 200, "connection-limited at 600");
        NS_TEST_ASSERT_MSG_EQ(connection.GetAvailable(), 0, "connection credit used");
        NS_TEST_ASSERT_MSG_EQ(connection.ShouldSendBlocked(), true, "DATA_BLOCKED due");
        NS_TEST_ASSERT_MSG_EQ(s.ShouldSendStreamDataBlocked(), false, "stream not blocked");
        NS_TEST_ASSERT_MSG_EQ(s.NextChunk(400, c), false, "blocked");
        NS_TEST_ASSERT_MSG_EQ(connection.TakeBlocked(), 600, "DATA_BLOCKED value");
        NS_TEST_ASSERT_MSG_EQ(connection.ShouldSendBlocked(), false, "sent once");
        connection.OnBlockedLost(600);
        NS_TEST_ASSERT_MSG_EQ(connection.ShouldSendBlocked(), true, "again after loss");
        connection.TakeBlocked();

        NS_TEST_ASSERT_MSG_EQ(connection.OnLimit(500), false, "smaller MAX_DATA ignored");
        NS_TEST_ASSERT_MSG_EQ(connection.OnLimit(5000), true, "MAX_DATA 5000");
        NS_TEST_ASSERT_MSG_EQ(connection.ShouldSendBlocked(), false, "unblocked");
        NS_TEST_ASSERT_MSG_EQ(s.NextChunk(1000, c), true, "third chunk");
        NS_TEST_ASSERT_MSG_EQ(c.offset, 600, "offset");
        NS_TEST_ASSERT_MSG_EQ(c.length, 400, "stream-limited at 1000");
        NS_TEST_ASSERT_MSG_EQ(s.ShouldSendStreamDataBlocked(), true, "STREAM_DATA_BLOCKED due");
        NS_TEST_ASSERT_MSG_EQ(s.TakeStreamDataBlocked(), 1000, "its value");
        NS_TEST_ASSERT_MSG_EQ(s.ShouldSendStreamDataBlocked(), false, "once");
        NS_TEST_ASSERT_MSG_EQ(s.NextChunk(1000, c), false, "blocked");
        NS_TEST_ASSERT_MSG_EQ(s.HasNewData(), false, "no credit, no new data");

        s.OnMaxStreamData(900);
        NS_TEST_ASSERT_MSG_EQ(s.GetFlowControl().GetLimit(), 1000, "smaller limit ignored");
        s.OnMaxStreamData(1500);
        NS_TEST_ASSERT_MSG_EQ(s.HasNewData(), true, "credit again");
        NS_TEST_ASSERT_MSG_EQ(s.Finish(), true, "finish");
        NS_TEST_ASSERT_MSG_EQ(s.NextChunk(10000, c), true, "fourth chunk");
        NS_TEST_ASSERT_MSG_EQ(c.offset, 1000, "offset");
        NS_TEST_ASSERT_MSG_EQ(c.length, 500, "to 1500");
        NS_TEST_ASSERT_MSG_EQ(c.fin, false, "not the end yet");
        s.OnMaxStreamData(3000);
        NS_TEST_ASSERT_MSG_EQ(s.NextChunk(10000, c), true, "last chunk");
        NS_TEST_ASSERT_MSG_EQ(c.offset, 1500, "offset");
        NS_TEST_ASSERT_MSG_EQ(c.length, 500, "rest");
        NS_TEST_ASSERT_MSG_EQ(c.fin, true, "FIN on the last chunk");
        NS_TEST_ASSERT_MSG_EQ(s.GetState(), QuicSendStream::DATA_SENT, "data sent");
        NS_TEST_ASSERT_MSG_EQ(connection.GetUsed(), 2000, "connection charged once per byte");
        NS_TEST_ASSERT_MSG_EQ(s.NextChunk(10000, c), false, "nothing left");
        NS_TEST_ASSERT_MSG_EQ(s.Write(data.data(), 1), 0, "no write after FIN");

        // A stream with zero initial credit is blocked at 0 right away.
        QuicSendStream z(4, 0);
        z.WriteVirtual(10);
        NS_TEST_ASSERT_MSG_EQ(z.ShouldSendStreamDataBlocked(), true, "blocked at 0");
        NS_TEST_ASSERT_MSG_EQ(z.TakeStreamDataBlocked(), 0, "value 0");
        NS_TEST_ASSERT_MSG_EQ(z.GetState(), QuicSendStream::SEND, "STREAM_DATA_BLOCKED opens");
    }
};

/**
 * \ingroup quic-migration-tests
 * Sending: lost ranges are resent exactly, before new data; acknowledgements release
 * buffer space; a spurious loss is not resent; Data Recvd only after every byte and
 * the FIN are acknowledged (§3.1, §13.3).
 */
class QuicSendStreamLossTestCase : public TestCase
{
  public:
    QuicSendStreamLossTestCase()
        : TestCase("send: loss -> exact retransmission first, ack releases, FIN -> Data Recvd")
    {
    }

  private:
    void DoRun() override
    {
        const auto data = MakeBytes(10000, 2);
        QuicSendStream s(0, 1 << 20, 8192);
        NS_TEST_ASSERT_MSG_EQ(s.Write(data.data(), data.size()), 8192, "bounded by the buffer");
        NS_TEST_ASSERT_MSG_EQ(s.GetWritableBytes(), 0, "buffer full");
        NS_TEST_ASSERT_MSG_EQ(s.GetBufferCapacity(), 8192, "ring at its bound");

        std::vector<QuicStreamChunk> sent;
        QuicStreamChunk c;
        for (int i = 0; i < 4; ++i)
        {
            NS_TEST_ASSERT_MSG_EQ(s.NextChunk(1000, c), true, "chunk " << i);
            sent.push_back(c); // [0,1000) [1000,2000) [2000,3000) [3000,4000)
        }
        s.OnChunkAcked(0, 1000, false);
        NS_TEST_ASSERT_MSG_EQ(s.GetUnackedBytes(), 7192, "prefix ack releases");
        NS_TEST_ASSERT_MSG_EQ(s.GetWritableBytes(), 1000, "space for 1000 more");
        NS_TEST_ASSERT_MSG_EQ(s.Write(data.data() + 8192, 1000), 1000, "refill");
        s.OnChunkAcked(2000, 1000, false);
        NS_TEST_ASSERT_MSG_EQ(s.GetBytesAcked(), 2000, "acked bytes");
        NS_TEST_ASSERT_MSG_EQ(s.GetWritableBytes(), 0, "out-of-order ack frees nothing yet");
        NS_TEST_ASSERT_MSG_EQ(s.GetAckedRanges().GetRangeCount(), 1, "one range above prefix");

        s.OnChunkLost(1000, 1000, false);
        s.OnChunkLost(3000, 1000, false);
        NS_TEST_ASSERT_MSG_EQ(s.GetLostBytes(), 2000, "two lost ranges");
        NS_TEST_ASSERT_MSG_EQ(s.HasPriorityData(), true, "retransmission pending");

        // Exactly the lost bytes, lowest first, before new data at 4000.
        const uint64_t expect[][2] = {{1000, 600}, {1600, 400}, {3000, 600}, {3600, 400}};
        for (const auto& e : expect)
        {
            NS_TEST_ASSERT_MSG_EQ(s.NextChunk(600, c), true, "retransmission");
            NS_TEST_ASSERT_MSG_EQ(c.offset, e[0], "retransmitted offset");
            NS_TEST_ASSERT_MSG_EQ(c.length, e[1], "retransmitted length");
            NS_TEST_ASSERT_MSG_EQ(c.retransmission, true, "flagged");
            std::vector<uint8_t> buf(c.length);
            NS_TEST_ASSERT_MSG_EQ(s.CopyData(c.offset, buf.data(), c.length), true, "copy");
            NS_TEST_ASSERT_MSG_EQ(std::memcmp(buf.data(), data.data() + c.offset, c.length),
                                  0,
                                  "same bytes as the original");
            sent.push_back(c);
        }
        NS_TEST_ASSERT_MSG_EQ(s.GetBytesRetransmitted(), 2000, "2000 bytes resent");
        NS_TEST_ASSERT_MSG_EQ(s.NextChunk(600, c), true, "new data now");
        NS_TEST_ASSERT_MSG_EQ(c.offset, 4000, "resumes at 4000");
        NS_TEST_ASSERT_MSG_EQ(c.retransmission, false, "new");
        s.OnChunkLost(c.offset, c.length, c.fin);

        // Spurious loss: the original [4000,4600) is acknowledged after all.
        s.OnChunkAcked(4000, 600, false);
        NS_TEST_ASSERT_MSG_EQ(s.GetLostBytes(), 0, "acked range not resent");
        // A loss reported over acknowledged bytes adds only the unacknowledged part:
        // [2500,4600) minus the acked [2000,3000) and [4000,4600) is [3000,4000).
        s.OnChunkLost(2500, 2100, false);
        NS_TEST_ASSERT_MSG_EQ(s.GetLostBytes(), 1000, "gaps of [2500,4600) minus acks");
        NS_TEST_ASSERT_MSG_EQ(s.GetLostRanges().Front().first, 3000, "lost start");
        // Bytes never sent cannot be lost.
        s.OnChunkLost(4600, 400, false);
        NS_TEST_ASSERT_MSG_EQ(s.GetLostBytes(), 1000, "unsent bytes ignored");

        // Acknowledge everything else; the prefix runs to the end.
        s.OnChunkAcked(1000, 1000, false);
        s.OnChunkAcked(3000, 1000, false);
        NS_TEST_ASSERT_MSG_EQ(s.GetLostBytes(), 0, "nothing left to resend");
        NS_TEST_ASSERT_MSG_EQ(s.GetUnackedBytes(), 9192 - 4600, "prefix at 4600");
        NS_TEST_ASSERT_MSG_EQ(s.GetAckedRanges().IsEmpty(), true, "merged into the prefix");

        // Send the rest with FIN; acknowledge the FIN chunk before a middle chunk.
        NS_TEST_ASSERT_MSG_EQ(s.Finish(), true, "finish at 9192");
        std::vector<QuicStreamChunk> tail;
        while (s.NextChunk(2000, c))
        {
            tail.push_back(c);
        }
        NS_TEST_ASSERT_MSG_EQ(tail.size(), 3, "4600-6600, 6600-8600, 8600-9192");
        NS_TEST_ASSERT_MSG_EQ(tail.back().fin, true, "FIN on the last");
        NS_TEST_ASSERT_MSG_EQ(tail.back().offset + tail.back().length, 9192, "final size");
        s.OnChunkAcked(tail[2].offset, tail[2].length, tail[2].fin);
        s.OnChunkAcked(tail[0].offset, tail[0].length, tail[0].fin);
        NS_TEST_ASSERT_MSG_EQ(s.GetState(), QuicSendStream::DATA_SENT, "a hole remains");
        // Lose the middle chunk, then its retransmission is acknowledged.
        s.OnChunkLost(tail[1].offset, tail[1].length, tail[1].fin);
        NS_TEST_ASSERT_MSG_EQ(s.NextChunk(5000, c), true, "resend");
        NS_TEST_ASSERT_MSG_EQ(c.offset, 6600, "hole start");
        NS_TEST_ASSERT_MSG_EQ(c.length, 2000, "hole length");
        NS_TEST_ASSERT_MSG_EQ(c.fin, false, "FIN was acknowledged, not resent");
        s.OnChunkAcked(c.offset, c.length, c.fin);
        NS_TEST_ASSERT_MSG_EQ(s.GetState(), QuicSendStream::DATA_RECVD, "all data acked");
        NS_TEST_ASSERT_MSG_EQ(s.GetBufferCapacity(), 0, "buffer released");
        NS_TEST_ASSERT_MSG_EQ(s.IsTerminal(), true, "terminal");
        NS_TEST_ASSERT_MSG_EQ(s.NextChunk(5000, c), false, "nothing after Data Recvd");

        // Lost FIN: resent with the last lost range, or alone.
        QuicSendStream f(4, 1 << 20);
        f.WriteVirtual(300);
        f.Finish();
        NS_TEST_ASSERT_MSG_EQ(f.NextChunk(1000, c), true, "all with FIN");
        NS_TEST_ASSERT_MSG_EQ(c.fin, true, "FIN");
        f.OnChunkLost(0, 300, true);
        NS_TEST_ASSERT_MSG_EQ(f.NextChunk(200, c), true, "resend part 1");
        NS_TEST_ASSERT_MSG_EQ(c.fin, false, "not yet the end");
        NS_TEST_ASSERT_MSG_EQ(f.NextChunk(200, c), true, "resend part 2");
        NS_TEST_ASSERT_MSG_EQ(c.offset, 200, "offset");
        NS_TEST_ASSERT_MSG_EQ(c.length, 100, "length");
        NS_TEST_ASSERT_MSG_EQ(c.fin, true, "FIN rides on the last lost range");
        f.OnChunkAcked(0, 300, false);
        f.OnChunkLost(200, 100, true);
        NS_TEST_ASSERT_MSG_EQ(f.NextChunk(200, c), true, "bare FIN");
        NS_TEST_ASSERT_MSG_EQ(c.offset, 300, "at the final size");
        NS_TEST_ASSERT_MSG_EQ(c.length, 0, "no data");
        NS_TEST_ASSERT_MSG_EQ(c.fin, true, "FIN");
        NS_TEST_ASSERT_MSG_EQ(f.GetState(), QuicSendStream::DATA_SENT, "FIN not acked yet");
        f.OnChunkAcked(300, 0, true);
        NS_TEST_ASSERT_MSG_EQ(f.GetState(), QuicSendStream::DATA_RECVD, "done");
    }
};

/**
 * \ingroup quic-migration-tests
 * Sending: RESET_STREAM carries the bytes sent as final size and is repeated until
 * acknowledged; STOP_SENDING triggers it with the peer's code (§3.1, §3.5, §19.4).
 */
class QuicSendStreamResetTestCase : public TestCase
{
  public:
    QuicSendStreamResetTestCase()
        : TestCase("send: RESET_STREAM final size, resend on loss, STOP_SENDING")
    {
    }

  private:
    void DoRun() override
    {
        QuicSendStream s(0, 1 << 20);
        s.WriteVirtual(5000);
        QuicStreamChunk c;
        s.NextChunk(1200, c);
        s.NextChunk(1200, c);
        s.OnChunkLost(0, 1200, false);
        NS_TEST_ASSERT_MSG_EQ(s.Reset(9), true, "reset");
        NS_TEST_ASSERT_MSG_EQ(s.GetState(), QuicSendStream::RESET_SENT, "Reset Sent");
        NS_TEST_ASSERT_MSG_EQ(s.NextChunk(1200, c), false, "no STREAM after reset");
        NS_TEST_ASSERT_MSG_EQ(s.GetLostBytes(), 0, "no retransmission after reset");
        NS_TEST_ASSERT_MSG_EQ(s.ShouldSendResetStream(), true, "RESET_STREAM due");
        uint64_t code = 0;
        uint64_t finalSize = 0;
        s.TakeResetStream(code, finalSize);
        NS_TEST_ASSERT_MSG_EQ(code, 9, "error code");
        NS_TEST_ASSERT_MSG_EQ(finalSize, 2400, "final size = bytes sent");
        NS_TEST_ASSERT_MSG_EQ(s.ShouldSendResetStream(), false, "sent");
        s.OnResetStreamLost();
        NS_TEST_ASSERT_MSG_EQ(s.ShouldSendResetStream(), true, "resent after loss");
        s.TakeResetStream(code, finalSize);
        NS_TEST_ASSERT_MSG_EQ(s.Reset(10), false, "second reset refused");
        s.OnResetStreamAcked();
        NS_TEST_ASSERT_MSG_EQ(s.GetState(), QuicSendStream::RESET_RECVD, "Reset Recvd");
        NS_TEST_ASSERT_MSG_EQ(s.IsTerminal(), true, "terminal");

        // STOP_SENDING in Send: reset with the peer's code; in Data Recvd: nothing.
        QuicSendStream t(4, 1 << 20);
        t.WriteVirtual(100);
        t.NextChunk(50, c);
        t.OnStopSending(77);
        NS_TEST_ASSERT_MSG_EQ(t.GetState(), QuicSendStream::RESET_SENT, "reset by STOP_SENDING");
        t.TakeResetStream(code, finalSize);
        NS_TEST_ASSERT_MSG_EQ(code, 77, "code copied from STOP_SENDING");
        NS_TEST_ASSERT_MSG_EQ(finalSize, 50, "final size");
        QuicSendStream u(8, 1 << 20);
        u.WriteVirtual(10);
        u.Finish();
        u.NextChunk(50, c);
        u.OnChunkAcked(c.offset, c.length, c.fin);
        NS_TEST_ASSERT_MSG_EQ(u.GetState(), QuicSendStream::DATA_RECVD, "done");
        u.OnStopSending(1);
        NS_TEST_ASSERT_MSG_EQ(u.GetState(),
                              QuicSendStream::DATA_RECVD,
                              "late STOP_SENDING ignored");
        NS_TEST_ASSERT_MSG_EQ(u.ShouldSendResetStream(), false, "no RESET_STREAM");
    }
};

/**
 * \ingroup quic-migration-tests
 * Receiving: a random permutation of overlapping and duplicated chunks reassembles
 * byte-exact, read at random moments (§2.2). Parameterised by the read pattern.
 */
class QuicReceiveStreamReassemblyTestCase : public TestCase
{
  public:
    /**
     * \param seed generator seed
     * \param readWhileReceiving read between chunks (else only at the end)
     * \param direct take in-order bytes in place (the connection's zero-copy delivery), read
     *               after every frame, reorder only nearby pieces
     */
    QuicReceiveStreamReassemblyTestCase(uint64_t seed, bool readWhileReceiving, bool direct = false)
        : TestCase(std::string("receive: shuffled overlapping duplicated chunks, seed ") +
                   std::to_string(seed) + (readWhileReceiving ? ", interleaved reads" : "") +
                   (direct ? ", reordered nearby, in-order bytes taken in place" : "")),
          m_seed(seed),
          m_readWhileReceiving(readWhileReceiving),
          m_direct(direct)
    {
    }

  private:
    void DoRun() override
    {
        const size_t size = 300000;
        const auto data = MakeBytes(size, m_seed);
        std::mt19937_64 rng(m_seed);

        struct Piece
        {
            uint64_t offset;
            uint64_t length;
        };

        std::vector<Piece> pieces;
        // A cover of [0, size) with random lengths, plus overlapping extras and duplicates.
        for (uint64_t off = 0; off < size;)
        {
            const uint64_t len = std::min<uint64_t>(size - off, 1 + Draw(rng, 3000));
            pieces.push_back({off, len});
            off += len;
        }
        const size_t cover = pieces.size();
        for (size_t i = 0; i < cover / 2; ++i)
        {
            const uint64_t off = Draw(rng, size);
            pieces.push_back({off, std::min<uint64_t>(size - off, 1 + Draw(rng, 5000))});
            const Piece dup = pieces[Draw(rng, cover)];
            pieces.push_back(dup);
        }
        if (m_direct)
        {
            // Network-like reordering: pieces (extras and duplicates too) in offset order,
            // each possibly swapped with one of the next few.
            std::stable_sort(pieces.begin(), pieces.end(), [](const Piece& a, const Piece& b) {
                return a.offset < b.offset;
            });
            for (size_t i = 0; i + 1 < pieces.size(); ++i)
            {
                if (Draw(rng, 4) == 0)
                {
                    const size_t ahead = 1 + Draw(rng, std::min<size_t>(3, pieces.size() - i - 1));
                    std::swap(pieces[i], pieces[i + ahead]);
                }
            }
        }
        else
        {
            Shuffle(pieces, rng);
        }

        QuicReceiveStream r(1, size);
        r.SetChecksumEnabled(true);
        std::vector<uint8_t> out;
        out.reserve(size);
        std::vector<uint8_t> buf(8192);
        uint64_t sent = 0;
        for (const auto& p : pieces)
        {
            const bool fin = p.offset + p.length == size;
            if (m_direct)
            {
                const uint8_t* direct = nullptr;
                uint64_t directLength = 0;
                const uint64_t readBefore = out.size();
                QUIC_TEST_ASSERT_ERROR(r.OnStreamFrame(p.offset,
                                                       data.data() + p.offset,
                                                       p.length,
                                                       fin,
                                                       direct,
                                                       directLength),
                                       OK,
                                       "chunk accepted");
                if (directLength > 0)
                {
                    // Handed over in place: inside the frame, right after what was read.
                    NS_TEST_ASSERT_MSG_EQ(
                        (direct >= data.data() + p.offset &&
                         direct + directLength <= data.data() + p.offset + p.length),
                        true,
                        "points into the frame");
                    NS_TEST_ASSERT_MSG_EQ(static_cast<uint64_t>(direct - data.data()),
                                          readBefore,
                                          "continues the bytes read");
                    NS_TEST_ASSERT_MSG_EQ(r.GetReadableBytes(), 0, "nothing else readable");
                    out.insert(out.end(), direct, direct + directLength);
                    ++m_directFrames;
                }
            }
            else
            {
                QUIC_TEST_ASSERT_ERROR(
                    r.OnStreamFrame(p.offset, data.data() + p.offset, p.length, fin),
                    OK,
                    "chunk accepted");
            }
            sent += p.length;
            NS_TEST_ASSERT_MSG_EQ((r.GetBufferedBytes() <= size), true, "bounded");
            if (m_direct)
            {
                // Like the connection: everything readable is read after each frame.
                while (size_t n = r.Read(buf.data(), buf.size()))
                {
                    out.insert(out.end(), buf.begin(), buf.begin() + n);
                }
            }
            else if (m_readWhileReceiving && Draw(rng, 4) == 0)
            {
                const size_t n = r.Read(buf.data(), 1 + Draw(rng, buf.size()));
                out.insert(out.end(), buf.begin(), buf.begin() + n);
            }
        }
        NS_TEST_ASSERT_MSG_EQ((r.GetState() == QuicReceiveStream::DATA_RECVD ||
                               r.GetState() == QuicReceiveStream::DATA_READ),
                              true,
                              "all data received");
        while (size_t n = r.Read(buf.data(), buf.size()))
        {
            out.insert(out.end(), buf.begin(), buf.begin() + n);
        }
        NS_TEST_ASSERT_MSG_EQ(out.size(), size, "every byte read");
        NS_TEST_ASSERT_MSG_EQ((out == data), true, "byte-exact");
        QuicStreamChecksum expect;
        expect.Add(0, data.data(), data.size());
        QuicStreamChecksum got;
        got.Add(0, out.data(), out.size());
        NS_TEST_ASSERT_MSG_EQ(got.GetValue(), expect.GetValue(), "checksum of bytes read");
        NS_TEST_ASSERT_MSG_EQ(r.GetChecksum().GetValue(),
                              expect.GetValue(),
                              "checksum of distinct bytes received (order-independent)");
        NS_TEST_ASSERT_MSG_EQ(r.GetUniqueBytes(), size, "unique bytes");
        NS_TEST_ASSERT_MSG_EQ(r.GetDuplicateBytes(), sent - size, "duplicates counted");
        NS_TEST_ASSERT_MSG_EQ(r.GetState(), QuicReceiveStream::DATA_READ, "Data Read");
        NS_TEST_ASSERT_MSG_EQ(r.GetBufferCapacity(), 0, "buffer released");
        NS_TEST_ASSERT_MSG_EQ(r.GetOutOfOrderRanges().IsEmpty(), true, "no ranges left");
        if (m_direct)
        {
            // The first piece at offset 0 (if no other covered it before) and every piece
            // that came while nothing was unread or out of order went in place.
            NS_TEST_ASSERT_MSG_GT(m_directFrames, 0, "some bytes taken in place");
        }
    }

    uint64_t m_seed;            //!< seed
    bool m_readWhileReceiving;  //!< interleave reads
    bool m_direct;              //!< use the in-place variant
    uint64_t m_directFrames{0}; //!< frames whose bytes were taken in place
};

/**
 * \ingroup quic-migration-tests
 * In-order STREAM frames taken in place (the connection's delivery path): the bytes are
 * read without ever entering the stream's buffer, which stays unallocated, while
 * flow-control credit, checksum, FIN and final state are those of buffered reading. A gap
 * switches to buffering until the reader has caught up again.
 */
class QuicReceiveStreamDirectTestCase : public TestCase
{
  public:
    QuicReceiveStreamDirectTestCase()
        : TestCase("receive: in-order bytes taken in place, a gap buffered, credit and FIN")
    {
    }

  private:
    void DoRun() override
    {
        const size_t size = 10000;
        const auto data = MakeBytes(size, 7);
        QuicReceiveStream r(1, size);
        r.SetChecksumEnabled(true);
        const uint8_t* direct = nullptr;
        uint64_t n = 0;
        std::vector<uint8_t> out;
        auto frame = [&](uint64_t off, uint64_t len, bool fin) {
            QUIC_TEST_ASSERT_ERROR(r.OnStreamFrame(off, data.data() + off, len, fin, direct, n),
                                   OK,
                                   "accepted");
            if (n > 0)
            {
                out.insert(out.end(), direct, direct + n);
            }
        };
        // In order: every byte goes in place; nothing is buffered or allocated.
        for (uint64_t off = 0; off < 4000; off += 1000)
        {
            frame(off, 1000, false);
            NS_TEST_ASSERT_MSG_EQ(n, 1000, "in order: taken in place");
            NS_TEST_ASSERT_MSG_EQ((direct == data.data() + off), true, "in the frame itself");
        }
        NS_TEST_ASSERT_MSG_EQ(r.GetBufferCapacity(), 0, "no buffer for in-order data");
        NS_TEST_ASSERT_MSG_EQ(r.GetReadableBytes(), 0, "nothing left to read");
        NS_TEST_ASSERT_MSG_EQ(r.GetFlowControl().GetConsumed(), 4000, "read bytes free credit");
        // Overlap with bytes already read: only the new part, still in place.
        frame(3500, 1000, false);
        NS_TEST_ASSERT_MSG_EQ(n, 500, "only the unseen part");
        NS_TEST_ASSERT_MSG_EQ((direct == data.data() + 4000), true, "starting at the read offset");
        // A gap: [6000, 7000) must wait in the buffer, and so must the bytes that fill it.
        frame(6000, 1000, false);
        NS_TEST_ASSERT_MSG_EQ(n, 0, "out of order: buffered");
        frame(4500, 1500, false);
        NS_TEST_ASSERT_MSG_EQ(n, 0, "filling a gap while data waits: buffered");
        NS_TEST_ASSERT_MSG_EQ(r.GetReadableBytes(), 2500, "4500..7000 readable");
        std::vector<uint8_t> buf(4096);
        const size_t got = r.Read(buf.data(), buf.size());
        NS_TEST_ASSERT_MSG_EQ(got, 2500, "read them");
        out.insert(out.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(got));
        // Caught up: in place again, up to the FIN.
        frame(7000, 3000, true);
        NS_TEST_ASSERT_MSG_EQ(n, 3000, "in place again after catching up");
        NS_TEST_ASSERT_MSG_EQ(r.GetState(), QuicReceiveStream::DATA_READ, "all read at the FIN");
        NS_TEST_ASSERT_MSG_EQ(r.IsFinished(), true, "finished");
        NS_TEST_ASSERT_MSG_EQ(out.size(), size, "every byte");
        NS_TEST_ASSERT_MSG_EQ((out == data), true, "byte-exact and in order");
        QuicStreamChecksum expect;
        expect.Add(0, data.data(), data.size());
        NS_TEST_ASSERT_MSG_EQ(r.GetChecksum().GetValue(), expect.GetValue(), "checksum");
        NS_TEST_ASSERT_MSG_EQ(r.GetUniqueBytes(), size, "unique bytes");
        NS_TEST_ASSERT_MSG_EQ(r.GetDuplicateBytes(), 500, "the overlap counted as duplicate");
    }
};

/**
 * \ingroup quic-migration-tests
 * Receiving: final size rules (§4.5) and flow-control violations (§4.1, §19.10).
 */
class QuicReceiveStreamErrorsTestCase : public TestCase
{
  public:
    QuicReceiveStreamErrorsTestCase()
        : TestCase("receive: FINAL_SIZE_ERROR and FLOW_CONTROL_ERROR cases (§4.5, §4.1)")
    {
    }

  private:
    void DoRun() override
    {
        const auto data = MakeBytes(4000, 3);
        const QuicTransportError FINAL = QuicTransportError::FINAL_SIZE_ERROR;
        const QuicTransportError FLOW = QuicTransportError::FLOW_CONTROL_ERROR;
        {
            QuicReceiveStream r(3, 1000);
            QUIC_TEST_ASSERT_ERROR(r.OnStreamFrame(50, data.data(), 50, true), OK, "FIN at 100");
            NS_TEST_ASSERT_MSG_EQ(r.GetState(), QuicReceiveStream::SIZE_KNOWN, "Size Known");
            QUIC_TEST_ASSERT_ERROR(r.OnStreamFrame(60, data.data(), 50, true),
                                   FINAL,
                                   "FIN at 110: final size changed");
            QUIC_TEST_ASSERT_ERROR(r.OnStreamFrame(40, data.data(), 50, true),
                                   FINAL,
                                   "FIN at 90: final size changed");
            QUIC_TEST_ASSERT_ERROR(r.OnStreamFrame(90, data.data(), 20, false),
                                   FINAL,
                                   "data past the final size");
            QUIC_TEST_ASSERT_ERROR(r.OnStreamFrame(100, data.data(), 1, false),
                                   FINAL,
                                   "one byte at the final size");
            QUIC_TEST_ASSERT_ERROR(r.OnStreamFrame(100, data.data(), 0, true), OK, "same FIN");
            QUIC_TEST_ASSERT_ERROR(r.OnResetStream(0, 99), FINAL, "RESET_STREAM with 99");
            QUIC_TEST_ASSERT_ERROR(r.OnResetStream(0, 101), FINAL, "RESET_STREAM with 101");
            QUIC_TEST_ASSERT_ERROR(r.OnStreamFrame(0, data.data(), 50, false), OK, "fill");
            NS_TEST_ASSERT_MSG_EQ(r.GetState(), QuicReceiveStream::DATA_RECVD, "Data Recvd");
            QUIC_TEST_ASSERT_ERROR(r.OnStreamFrame(60, data.data(), 41, false),
                                   FINAL,
                                   "still checked in Data Recvd");
        }
        {
            QuicReceiveStream r(3, 1000);
            QUIC_TEST_ASSERT_ERROR(r.OnStreamFrame(100, data.data(), 100, false), OK, "to 200");
            QUIC_TEST_ASSERT_ERROR(r.OnStreamFrame(0, data.data(), 150, true),
                                   FINAL,
                                   "FIN at 150 below data received up to 200");
            NS_TEST_ASSERT_MSG_EQ(r.IsFinalSizeKnown(), false, "error left no trace");
            QUIC_TEST_ASSERT_ERROR(r.OnResetStream(0, 150), FINAL, "RESET below 200");
        }
        {
            QuicReceiveFlowControl connection(1500);
            QuicReceiveStream a(3, 1000);
            QuicReceiveStream b(7, 1000);
            a.SetConnectionFlowControl(&connection);
            b.SetConnectionFlowControl(&connection);
            QUIC_TEST_ASSERT_ERROR(a.OnStreamFrame(900, data.data(), 101, false),
                                   FLOW,
                                   "data to 1001, stream limit 1000");
            NS_TEST_ASSERT_MSG_EQ(a.GetHighestReceivedOffset(), 0, "rejected frame not counted");
            NS_TEST_ASSERT_MSG_EQ(connection.GetReceived(), 0, "not charged");
            QUIC_TEST_ASSERT_ERROR(a.OnStreamFrame(900, data.data(), 100, false), OK, "to 1000");
            NS_TEST_ASSERT_MSG_EQ(connection.GetReceived(), 1000, "charged the largest offset");
            QUIC_TEST_ASSERT_ERROR(b.OnStreamFrame(0, data.data(), 501, false),
                                   FLOW,
                                   "connection limit 1500 exceeded by stream b");
            QUIC_TEST_ASSERT_ERROR(b.OnStreamFrame(0, data.data(), 500, false), OK, "exactly 1500");
            QUIC_TEST_ASSERT_ERROR(b.OnResetStream(4, 501),
                                   FLOW,
                                   "RESET_STREAM final size charged to the connection");
            QUIC_TEST_ASSERT_ERROR(b.OnResetStream(4, 1001), FLOW, "and to the stream");
            // Reset: final size charged, unread credit returned to the connection.
            QUIC_TEST_ASSERT_ERROR(b.OnResetStream(4, 500), OK, "reset at 500");
            NS_TEST_ASSERT_MSG_EQ(b.GetState(), QuicReceiveStream::RESET_RECVD, "Reset Recvd");
            NS_TEST_ASSERT_MSG_EQ(connection.GetConsumed(), 500, "unread bytes released");
            QUIC_TEST_ASSERT_ERROR(b.OnStreamFrame(0, data.data(), 100, false), OK, "late data");
            NS_TEST_ASSERT_MSG_EQ(b.GetReadableBytes(), 0, "late data dropped");
            uint8_t buf[16];
            NS_TEST_ASSERT_MSG_EQ(b.Read(buf, sizeof(buf)), 0, "reset delivered");
            NS_TEST_ASSERT_MSG_EQ(b.IsReset(), true, "reset");
            NS_TEST_ASSERT_MSG_EQ(b.GetResetErrorCode(), 4, "code");
            NS_TEST_ASSERT_MSG_EQ(b.GetState(), QuicReceiveStream::RESET_READ, "Reset Read");
            QUIC_TEST_ASSERT_ERROR(a.OnStreamFrame(uint64_t(1) << 62, data.data(), 1, false),
                                   FLOW,
                                   "offset beyond 2^62-1");
        }
        {
            // STOP_SENDING: queued once, data afterwards counted and discarded.
            QuicReceiveFlowControl connection(10000);
            QuicReceiveStream r(3, 5000);
            r.SetConnectionFlowControl(&connection);
            r.OnStreamFrame(0, data.data(), 1000, false);
            NS_TEST_ASSERT_MSG_EQ(r.StopSending(12), true, "abort reading");
            NS_TEST_ASSERT_MSG_EQ(r.StopSending(12), false, "once");
            NS_TEST_ASSERT_MSG_EQ(r.ShouldSendStopSending(), true, "STOP_SENDING due");
            NS_TEST_ASSERT_MSG_EQ(r.TakeStopSending(), 12, "its code");
            r.OnStopSendingLost();
            NS_TEST_ASSERT_MSG_EQ(r.ShouldSendStopSending(), true, "resent after loss");
            r.TakeStopSending();
            NS_TEST_ASSERT_MSG_EQ(r.GetBufferCapacity(), 0, "buffer dropped");
            NS_TEST_ASSERT_MSG_EQ(connection.GetConsumed(), 1000, "credit returned");
            QUIC_TEST_ASSERT_ERROR(r.OnStreamFrame(1000, data.data(), 500, false), OK, "more");
            NS_TEST_ASSERT_MSG_EQ(connection.GetReceived(), 1500, "still counted (§3.5)");
            NS_TEST_ASSERT_MSG_EQ(connection.GetConsumed(), 1500, "and released");
            NS_TEST_ASSERT_MSG_EQ(r.ShouldSendMaxStreamData(), false, "no more credit");
            QUIC_TEST_ASSERT_ERROR(r.OnResetStream(12, 2000), OK, "peer resets");
            NS_TEST_ASSERT_MSG_EQ(r.GetState(), QuicReceiveStream::RESET_READ, "terminal");
            NS_TEST_ASSERT_MSG_EQ(connection.GetConsumed(), 2000, "final size released");
            NS_TEST_ASSERT_MSG_EQ(r.ShouldSendStopSending(), false, "no STOP_SENDING after reset");
        }
    }
};

/**
 * \ingroup quic-migration-tests
 * Receiving: MAX_STREAM_DATA is due once half the window has been read, is repeated
 * when lost, and the window doubles when half of it drains within two RTTs.
 */
class QuicReceiveStreamWindowTestCase : public TestCase
{
  public:
    QuicReceiveStreamWindowTestCase()
        : TestCase("receive: MAX_STREAM_DATA after half the window is read, auto-tuning")
    {
    }

  private:
    void DoRun() override
    {
        const auto data = MakeBytes(1000, 4);
        std::vector<uint8_t> buf(1000);
        QuicReceiveStream r(3, 1000);
        QUIC_TEST_ASSERT_ERROR(r.OnStreamFrame(0, data.data(), 1000, false), OK, "window full");
        NS_TEST_ASSERT_MSG_EQ(r.ShouldSendMaxStreamData(), false, "nothing read yet");
        NS_TEST_ASSERT_MSG_EQ(r.Read(buf.data(), 499), 499, "read 499");
        NS_TEST_ASSERT_MSG_EQ(r.ShouldSendMaxStreamData(), false, "less than half read");
        NS_TEST_ASSERT_MSG_EQ(r.Read(buf.data(), 1), 1, "read 1 more");
        NS_TEST_ASSERT_MSG_EQ(r.ShouldSendMaxStreamData(), true, "half the window read");
        NS_TEST_ASSERT_MSG_EQ(r.TakeMaxStreamData(), 1500, "read + window");
        NS_TEST_ASSERT_MSG_EQ(r.ShouldSendMaxStreamData(), false, "sent");
        r.OnMaxStreamDataLost(1500);
        NS_TEST_ASSERT_MSG_EQ(r.ShouldSendMaxStreamData(), true, "resend the lost update");
        NS_TEST_ASSERT_MSG_EQ(r.TakeMaxStreamData(), 1500, "same value");
        r.OnMaxStreamDataLost(1400);
        NS_TEST_ASSERT_MSG_EQ(r.ShouldSendMaxStreamData(), false, "stale loss ignored");
        QUIC_TEST_ASSERT_ERROR(r.OnStreamFrame(1000, data.data(), 500, false), OK, "to 1500");
        QUIC_TEST_ASSERT_ERROR(r.OnStreamFrame(1500, data.data(), 1, false),
                               QuicTransportError::FLOW_CONTROL_ERROR,
                               "beyond 1500");
        NS_TEST_ASSERT_MSG_EQ((r.GetBufferCapacity() <= 1000), true, "ring within the window");
        NS_TEST_ASSERT_MSG_EQ((r.GetBufferedBytes() <= 1000), true, "buffered within window");
        // STREAM_DATA_BLOCKED at our limit: an update is due as soon as any credit is free.
        r.Read(buf.data(), 10);
        NS_TEST_ASSERT_MSG_EQ(r.ShouldSendMaxStreamData(), false, "10 bytes: not yet");
        r.OnStreamDataBlocked(1500);
        NS_TEST_ASSERT_MSG_EQ(r.ShouldSendMaxStreamData(), true, "peer blocked: send now");
        NS_TEST_ASSERT_MSG_EQ(r.TakeMaxStreamData(), 1510, "510 + 1000");
        // Size Known: no more updates.
        r.OnStreamFrame(1500, data.data(), 10, true);
        r.Read(buf.data(), 1000);
        NS_TEST_ASSERT_MSG_EQ(r.ShouldSendMaxStreamData(), false, "no update once size known");

        // Auto-tuning: half a window drained in under two RTTs doubles the window.
        QuicReceiveStream t(3, 1000, 3000);
        const std::vector<uint8_t> big(4000, 1);
        t.OnStreamFrame(0, big.data(), 1000, false);
        t.Read(buf.data(), 500);
        NS_TEST_ASSERT_MSG_EQ(t.TakeMaxStreamData(MilliSeconds(0), MilliSeconds(10)),
                              1500,
                              "first update: no history");
        t.OnStreamFrame(1000, big.data(), 500, false);
        t.Read(buf.data(), 500);
        NS_TEST_ASSERT_MSG_EQ(t.TakeMaxStreamData(MilliSeconds(15), MilliSeconds(10)),
                              1000 + 2000,
                              "15 ms < 2 RTT: window 2000");
        NS_TEST_ASSERT_MSG_EQ(t.GetFlowControl().GetWindow(), 2000, "doubled");
        t.OnStreamFrame(1500, big.data(), 1000, false);
        t.Read(buf.data(), 1000);
        NS_TEST_ASSERT_MSG_EQ(t.TakeMaxStreamData(MilliSeconds(100), MilliSeconds(10)),
                              2000 + 2000,
                              "85 ms > 2 RTT: window unchanged");
        t.OnStreamFrame(2500, big.data(), 1000, false);
        t.Read(buf.data(), 1000);
        NS_TEST_ASSERT_MSG_EQ(t.TakeMaxStreamData(MilliSeconds(101), MilliSeconds(10)),
                              3000 + 3000,
                              "grows to the cap 3000");
    }
};

/**
 * \ingroup quic-migration-tests
 * Connection-level flow control through the manager: MAX_DATA accounting across
 * streams (largest offsets, final sizes, reads), MAX_DATA updates, DATA_BLOCKED and
 * round-robin sending within a shared credit (§4.1, §19.9, §19.12).
 */
class QuicConnectionFlowControlTestCase : public TestCase
{
  public:
    QuicConnectionFlowControlTestCase()
        : TestCase("connection flow control: MAX_DATA across streams, DATA_BLOCKED")
    {
    }

  private:
    void DoRun() override
    {
        const auto data = MakeBytes(3000, 5);
        QuicStreamManager server(Config(QuicStreamInitiator::SERVER, Limits(3000, 2000, 10, 10)));
        server.SetPeerLimits(Limits(1 << 20, 1 << 20, 10, 10));
        QuicReceiveFlowControl& conn = server.GetFlowController().GetReceiveSide();

        QUIC_TEST_ASSERT_ERROR(server.OnStreamFrame(0, 0, data.data(), 1000, false), OK, "s0");
        QUIC_TEST_ASSERT_ERROR(server.OnStreamFrame(4, 0, data.data(), 1500, false), OK, "s4");
        NS_TEST_ASSERT_MSG_EQ(conn.GetReceived(), 2500, "sum of offsets");
        // A gap counts: the largest offset is charged (§19.10).
        QUIC_TEST_ASSERT_ERROR(server.OnStreamFrame(8, 400, data.data(), 100, false), OK, "s8");
        NS_TEST_ASSERT_MSG_EQ(conn.GetReceived(), 3000, "gap counted");
        // Duplicates and data below the largest offset are free.
        QUIC_TEST_ASSERT_ERROR(server.OnStreamFrame(0, 0, data.data(), 1000, false), OK, "dup");
        QUIC_TEST_ASSERT_ERROR(server.OnStreamFrame(8, 0, data.data(), 400, false), OK, "fill");
        NS_TEST_ASSERT_MSG_EQ(conn.GetReceived(), 3000, "unchanged");
        QUIC_TEST_ASSERT_ERROR(server.OnStreamFrame(12, 0, data.data(), 1, false),
                               QuicTransportError::FLOW_CONTROL_ERROR,
                               "one byte over MAX_DATA");
        // A final size counts as received even if the data never came.
        QUIC_TEST_ASSERT_ERROR(server.OnResetStream(12, 0, 1),
                               QuicTransportError::FLOW_CONTROL_ERROR,
                               "RESET_STREAM final size over MAX_DATA");
        NS_TEST_ASSERT_MSG_EQ(server.HasControlFrame(), false, "nothing read: no MAX_DATA");

        std::vector<uint8_t> buf(3000);
        server.GetStream(4)->GetReceiveStream()->Read(buf.data(), 1499);
        QuicStreamControlFrame f;
        bool maxData = false;
        while (server.NextControlFrame(f))
        {
            maxData |= f.type == QuicStreamControlType::MAX_DATA;
        }
        NS_TEST_ASSERT_MSG_EQ(maxData, false, "1499 < half of 3000");
        server.GetStream(0)->GetReceiveStream()->Read(buf.data(), 1);
        NS_TEST_ASSERT_MSG_EQ(server.NextControlFrame(f), true, "a frame");
        NS_TEST_ASSERT_MSG_EQ(uint32_t(f.type), uint32_t(QuicStreamControlType::MAX_DATA), "MD");
        NS_TEST_ASSERT_MSG_EQ(f.value, 1500 + 3000, "consumed + window");
        server.OnControlFrameLost(f);
        NS_TEST_ASSERT_MSG_EQ(server.NextControlFrame(f), true, "resent");
        NS_TEST_ASSERT_MSG_EQ(uint32_t(f.type), uint32_t(QuicStreamControlType::MAX_DATA), "MD");
        NS_TEST_ASSERT_MSG_EQ(f.value, 4500, "same value");
        QUIC_TEST_ASSERT_ERROR(server.OnStreamFrame(12, 0, data.data(), 1500, false), OK, "fits");

        // Sending side: two streams share a MAX_DATA of 1000, served round-robin.
        QuicStreamManager client(
            Config(QuicStreamInitiator::CLIENT, Limits(1 << 20, 1 << 20, 10, 10)));
        client.SetPeerLimits(Limits(1000, 800, 10, 10));
        QuicStream* a = client.OpenStream(QuicStreamDirection::BIDIRECTIONAL);
        QuicStream* b = client.OpenStream(QuicStreamDirection::BIDIRECTIONAL);
        a->GetSendStream()->WriteVirtual(1000);
        b->GetSendStream()->WriteVirtual(1000);
        QuicStreamChunk c;
        uint64_t perStream[2] = {0, 0};
        std::vector<uint64_t> order;
        while (client.NextStreamChunk(300, c))
        {
            perStream[c.streamId == a->GetId() ? 0 : 1] += c.length;
            order.push_back(c.streamId);
        }
        NS_TEST_ASSERT_MSG_EQ(perStream[0] + perStream[1], 1000, "exactly MAX_DATA sent");
        NS_TEST_ASSERT_MSG_EQ(perStream[0], 600, "a: 300 + 300");
        NS_TEST_ASSERT_MSG_EQ(perStream[1], 400, "b: 300 + 100");
        const std::vector<uint64_t> expectOrder = {0, 4, 0, 4};
        NS_TEST_ASSERT_MSG_EQ((order == expectOrder), true, "round-robin");
        NS_TEST_ASSERT_MSG_EQ(client.HasStreamData(), false, "blocked");
        NS_TEST_ASSERT_MSG_EQ(client.NextControlFrame(f), true, "DATA_BLOCKED");
        NS_TEST_ASSERT_MSG_EQ(uint32_t(f.type), uint32_t(QuicStreamControlType::DATA_BLOCKED), "");
        NS_TEST_ASSERT_MSG_EQ(f.value, 1000, "at 1000");
        const QuicStreamControlFrame dataBlocked = f;
        NS_TEST_ASSERT_MSG_EQ(client.NextControlFrame(f), false, "only once");
        client.OnControlFrameLost(dataBlocked);
        NS_TEST_ASSERT_MSG_EQ(client.NextControlFrame(f), true, "again after loss");
        client.OnMaxData(900);
        NS_TEST_ASSERT_MSG_EQ(client.HasStreamData(), false, "smaller MAX_DATA ignored");
        client.OnMaxData(5000);
        NS_TEST_ASSERT_MSG_EQ(client.HasStreamData(), true, "unblocked");
        while (client.NextStreamChunk(300, c))
        {
            perStream[c.streamId == a->GetId() ? 0 : 1] += c.length;
        }
        NS_TEST_ASSERT_MSG_EQ(perStream[0], 800, "a at its stream limit 800");
        NS_TEST_ASSERT_MSG_EQ(perStream[1], 800, "b at its stream limit 800");
        NS_TEST_ASSERT_MSG_EQ(client.GetFlowController().GetSendSide().GetUsed(), 1600, "charged");
        int blocked = 0;
        while (client.NextControlFrame(f))
        {
            if (f.type == QuicStreamControlType::STREAM_DATA_BLOCKED)
            {
                NS_TEST_ASSERT_MSG_EQ(f.value, 800, "STREAM_DATA_BLOCKED at 800");
                ++blocked;
            }
        }
        NS_TEST_ASSERT_MSG_EQ(blocked, 2, "one per stream");
        // Retransmissions need no connection credit.
        client.OnStreamChunkLost({a->GetId(), 0, 300, false, false});
        client.GetFlowController().GetSendSide().Consume(
            client.GetFlowController().GetSendSide().GetAvailable());
        NS_TEST_ASSERT_MSG_EQ(client.NextStreamChunk(1000, c), true, "retransmission");
        NS_TEST_ASSERT_MSG_EQ(c.retransmission, true, "flagged");
        NS_TEST_ASSERT_MSG_EQ(c.length, 300, "length");
    }
};

/**
 * \ingroup quic-migration-tests
 * Stream-count limits (§4.6, §19.11, §19.14): opening up to the peer's limit,
 * STREAMS_BLOCKED, MAX_STREAMS handling and MAX_STREAMS updates as peer streams close.
 */
class QuicStreamLimitsTestCase : public TestCase
{
  public:
    QuicStreamLimitsTestCase()
        : TestCase("stream limits: MAX_STREAMS, STREAMS_BLOCKED, credit from closed streams")
    {
    }

  private:
    void DoRun() override
    {
        QuicStreamManager client(
            Config(QuicStreamInitiator::CLIENT, Limits(1 << 20, 1 << 16, 4, 4)));
        NS_TEST_ASSERT_MSG_EQ(client.OpenStream(QuicStreamDirection::BIDIRECTIONAL),
                              nullptr,
                              "no streams before the peer's limits");
        QUIC_TEST_ASSERT_ERROR(client.SetPeerLimits(Limits(1 << 20, 1 << 16, 2, 1)), OK, "TP");
        QuicStream* s0 = client.OpenStream(QuicStreamDirection::BIDIRECTIONAL);
        QuicStream* s4 = client.OpenStream(QuicStreamDirection::BIDIRECTIONAL);
        NS_TEST_ASSERT_MSG_EQ(s0->GetId(), 0, "first bidi");
        NS_TEST_ASSERT_MSG_EQ(s4->GetId(), 4, "second bidi");
        NS_TEST_ASSERT_MSG_EQ(client.OpenStream(QuicStreamDirection::BIDIRECTIONAL),
                              nullptr,
                              "limit 2 reached");
        NS_TEST_ASSERT_MSG_EQ(client.OpenStream(QuicStreamDirection::UNIDIRECTIONAL)->GetId(),
                              2,
                              "first uni");
        NS_TEST_ASSERT_MSG_EQ(client.OpenStream(QuicStreamDirection::UNIDIRECTIONAL),
                              nullptr,
                              "uni limit 1 reached");
        QuicStreamControlFrame f;
        std::vector<QuicStreamControlFrame> frames;
        while (client.NextControlFrame(f))
        {
            frames.push_back(f);
        }
        NS_TEST_ASSERT_MSG_EQ(frames.size(), 2, "two STREAMS_BLOCKED");
        NS_TEST_ASSERT_MSG_EQ(uint32_t(frames[0].type),
                              uint32_t(QuicStreamControlType::STREAMS_BLOCKED_BIDI),
                              "bidi");
        NS_TEST_ASSERT_MSG_EQ(frames[0].value, 2, "at 2");
        NS_TEST_ASSERT_MSG_EQ(uint32_t(frames[1].type),
                              uint32_t(QuicStreamControlType::STREAMS_BLOCKED_UNI),
                              "uni");
        NS_TEST_ASSERT_MSG_EQ(frames[1].value, 1, "at 1");
        QUIC_TEST_ASSERT_ERROR(client.OnMaxStreams(QuicStreamDirection::BIDIRECTIONAL, 1),
                               OK,
                               "smaller MAX_STREAMS");
        NS_TEST_ASSERT_MSG_EQ(client.GetLocalBidiLimit().GetLimit(), 2, "ignored");
        QUIC_TEST_ASSERT_ERROR(client.OnMaxStreams(QuicStreamDirection::BIDIRECTIONAL, 3),
                               OK,
                               "MAX_STREAMS 3");
        NS_TEST_ASSERT_MSG_EQ(client.OpenStream(QuicStreamDirection::BIDIRECTIONAL)->GetId(),
                              8,
                              "third bidi");
        QUIC_TEST_ASSERT_ERROR(
            client.OnMaxStreams(QuicStreamDirection::UNIDIRECTIONAL, QUIC_MAX_STREAMS_LIMIT + 1),
            QuicTransportError::FRAME_ENCODING_ERROR,
            "MAX_STREAMS above 2^60");
        QUIC_TEST_ASSERT_ERROR(
            client.OnStreamsBlocked(QuicStreamDirection::BIDIRECTIONAL, QUIC_MAX_STREAMS_LIMIT + 1),
            QuicTransportError::STREAM_LIMIT_ERROR,
            "STREAMS_BLOCKED above 2^60");
        QuicStreamLimits bad = Limits(0, 0, QUIC_MAX_STREAMS_LIMIT + 1, 0);
        QUIC_TEST_ASSERT_ERROR(client.SetPeerLimits(bad),
                               QuicTransportError::TRANSPORT_PARAMETER_ERROR,
                               "max_streams above 2^60");

        // Server side: 4 client uni streams allowed; closing them returns credit.
        QuicStreamManager server(
            Config(QuicStreamInitiator::SERVER, Limits(1 << 20, 1 << 16, 4, 4)));
        server.SetPeerLimits(Limits(1 << 20, 1 << 16, 4, 4));
        const uint8_t bytes[4] = {1, 2, 3, 4};
        for (uint64_t i = 0; i < 4; ++i)
        {
            const uint64_t id = QuicStreamIdMake(QuicStreamInitiator::CLIENT,
                                                 QuicStreamDirection::UNIDIRECTIONAL,
                                                 i);
            QUIC_TEST_ASSERT_ERROR(server.OnStreamFrame(id, 0, bytes, 4, true), OK, "uni " << id);
        }
        QUIC_TEST_ASSERT_ERROR(server.OnStreamFrame(18, 0, bytes, 4, true),
                               QuicTransportError::STREAM_LIMIT_ERROR,
                               "fifth uni stream (id 18)");
        uint8_t buf[8];
        QuicStream* first = server.AcceptStream();
        // Looked up just before its removal (the manager remembers its last lookup): still
        // "gone" afterwards.
        NS_TEST_ASSERT_MSG_EQ(server.GetStream(2), first, "found while open");
        first->GetReceiveStream()->Read(buf, sizeof(buf));
        NS_TEST_ASSERT_MSG_EQ(first->IsClosed(), true, "all data read: closed");
        NS_TEST_ASSERT_MSG_EQ(server.RemoveClosedStreams(), 1, "one removed");
        NS_TEST_ASSERT_MSG_EQ(server.GetStream(2), nullptr, "gone");
        QUIC_TEST_ASSERT_ERROR(server.OnStreamFrame(2, 0, bytes, 4, true),
                               OK,
                               "late frame ignored");
        NS_TEST_ASSERT_MSG_EQ(server.GetStreamCount(), 3, "not re-created");
        NS_TEST_ASSERT_MSG_EQ(server.HasControlFrame(), false, "1 of 4 closed: no update yet");
        QuicStream* second = server.AcceptStream();
        second->GetReceiveStream()->Read(buf, sizeof(buf));
        NS_TEST_ASSERT_MSG_EQ(server.RemoveClosedStreams(), 1, "second removed");
        NS_TEST_ASSERT_MSG_EQ(server.NextControlFrame(f), true, "MAX_STREAMS due");
        NS_TEST_ASSERT_MSG_EQ(uint32_t(f.type),
                              uint32_t(QuicStreamControlType::MAX_STREAMS_UNI),
                              "uni");
        NS_TEST_ASSERT_MSG_EQ(f.value, 6, "2 closed + 4");
        QUIC_TEST_ASSERT_ERROR(server.OnStreamFrame(22, 0, bytes, 4, false), OK, "index 5 < 6");
        QUIC_TEST_ASSERT_ERROR(server.OnStreamFrame(26, 0, bytes, 4, false),
                               QuicTransportError::STREAM_LIMIT_ERROR,
                               "index 6");
        // STREAMS_BLOCKED at our limit makes an update due on the next close.
        server.OnStreamsBlocked(QuicStreamDirection::UNIDIRECTIONAL, 6);
        server.AcceptStream()->GetReceiveStream()->Read(buf, sizeof(buf));
        server.RemoveClosedStreams();
        NS_TEST_ASSERT_MSG_EQ(server.NextControlFrame(f), true, "MAX_STREAMS after one close");
        NS_TEST_ASSERT_MSG_EQ(f.value, 7, "3 closed + 4");
    }
};

/**
 * \ingroup quic-migration-tests
 * The manager's scheduling: round-robin one chunk per stream, retransmissions before
 * new data on any stream, RESET_STREAM / STOP_SENDING through control frames, and
 * removal of finished streams.
 */
class QuicStreamManagerSchedulingTestCase : public TestCase
{
  public:
    QuicStreamManagerSchedulingTestCase()
        : TestCase("manager: round-robin, retransmissions first, resets, removal")
    {
    }

  private:
    void DoRun() override
    {
        QuicStreamManager client(
            Config(QuicStreamInitiator::CLIENT, Limits(1 << 20, 1 << 16, 8, 8)));
        client.SetPeerLimits(Limits(1 << 20, 1 << 16, 8, 8));
        QuicStream* s[3];
        for (auto& p : s)
        {
            p = client.OpenStream(QuicStreamDirection::UNIDIRECTIONAL);
            p->GetSendStream()->WriteVirtual(1000);
            p->GetSendStream()->Finish();
        }
        NS_TEST_ASSERT_MSG_EQ(s[2]->GetId(), 10, "ids 2, 6, 10");
        QuicStreamChunk c;
        std::vector<QuicStreamChunk> sent;
        for (int i = 0; i < 6; ++i)
        {
            NS_TEST_ASSERT_MSG_EQ(client.NextStreamChunk(200, c), true, "chunk");
            NS_TEST_ASSERT_MSG_EQ(c.streamId, s[i % 3]->GetId(), "round-robin turn " << i);
            sent.push_back(c);
        }
        // Stream 6 loses its first chunk: it goes first, then the rotation resumes.
        client.OnStreamChunkLost(sent[1]);
        NS_TEST_ASSERT_MSG_EQ(client.NextStreamChunk(1000, c), true, "chunk");
        NS_TEST_ASSERT_MSG_EQ(c.streamId, 6, "retransmission first");
        NS_TEST_ASSERT_MSG_EQ(c.offset, 0, "lost offset");
        NS_TEST_ASSERT_MSG_EQ(c.length, 200, "exact lost range");
        NS_TEST_ASSERT_MSG_EQ(c.retransmission, true, "flagged");
        uint8_t payload[1000];
        NS_TEST_ASSERT_MSG_EQ(client.CopyStreamData(c, payload), true, "payload");
        const QuicStreamChunk retx = c;
        NS_TEST_ASSERT_MSG_EQ(QuicStreamPattern::Matches(0, payload, 200), true, "pattern");

        // Reset stream 10 and hand all other data out.
        s[2]->GetSendStream()->Reset(5);
        std::vector<QuicStreamChunk> rest;
        while (client.NextStreamChunk(1000, c))
        {
            NS_TEST_ASSERT_MSG_NE(c.streamId, 10, "nothing from the reset stream");
            rest.push_back(c);
        }
        NS_TEST_ASSERT_MSG_EQ(rest.size(), 2, "the rest of 2 and 6 with FIN");
        NS_TEST_ASSERT_MSG_EQ(rest[0].fin && rest[1].fin, true, "FINs");
        QuicStreamControlFrame f;
        NS_TEST_ASSERT_MSG_EQ(client.NextControlFrame(f), true, "RESET_STREAM");
        NS_TEST_ASSERT_MSG_EQ(uint32_t(f.type), uint32_t(QuicStreamControlType::RESET_STREAM), "");
        NS_TEST_ASSERT_MSG_EQ(f.streamId, 10, "stream 10");
        NS_TEST_ASSERT_MSG_EQ(f.value, 400, "final size 400");
        NS_TEST_ASSERT_MSG_EQ(f.errorCode, 5, "code");

        // Acknowledge everything but the lost chunk: stream 2 closes.
        for (size_t i = 0; i < sent.size(); ++i)
        {
            if (i != 1)
            {
                client.OnStreamChunkAcked(sent[i]);
            }
        }
        for (const auto& x : rest)
        {
            client.OnStreamChunkAcked(x);
        }
        NS_TEST_ASSERT_MSG_EQ(client.RemoveClosedStreams(), 1, "stream 2 done, 6 has a hole");
        NS_TEST_ASSERT_MSG_EQ(client.GetStream(2), nullptr, "2 removed");
        client.OnStreamChunkAcked(sent[0]); // late ack for a removed stream: ignored
        client.OnStreamChunkAcked(retx);
        client.OnControlFrameAcked(f);
        NS_TEST_ASSERT_MSG_EQ(client.RemoveClosedStreams(), 2, "6 and 10 done");
        NS_TEST_ASSERT_MSG_EQ(client.GetStreamCount(), 0, "empty");
        NS_TEST_ASSERT_MSG_EQ(client.HasStreamData(), false, "idle");
        NS_TEST_ASSERT_MSG_EQ(client.HasControlFrame(), false, "idle");

        // STOP_SENDING from the peer leads to RESET_STREAM with its code.
        QuicStream* b = client.OpenStream(QuicStreamDirection::BIDIRECTIONAL);
        b->GetSendStream()->WriteVirtual(100);
        QUIC_TEST_ASSERT_ERROR(client.OnStopSending(b->GetId(), 33), OK, "STOP_SENDING");
        NS_TEST_ASSERT_MSG_EQ(client.NextControlFrame(f), true, "frame");
        NS_TEST_ASSERT_MSG_EQ(uint32_t(f.type), uint32_t(QuicStreamControlType::RESET_STREAM), "");
        NS_TEST_ASSERT_MSG_EQ(f.errorCode, 33, "code copied");
        NS_TEST_ASSERT_MSG_EQ(f.value, 0, "nothing was sent");
        // Our own STOP_SENDING on its receiving part.
        b->GetReceiveStream()->StopSending(44);
        NS_TEST_ASSERT_MSG_EQ(client.NextControlFrame(f), true, "frame");
        NS_TEST_ASSERT_MSG_EQ(uint32_t(f.type), uint32_t(QuicStreamControlType::STOP_SENDING), "");
        NS_TEST_ASSERT_MSG_EQ(f.errorCode, 44, "code");
        client.OnControlFrameLost(f);
        NS_TEST_ASSERT_MSG_EQ(client.NextControlFrame(f), true, "STOP_SENDING again");
        NS_TEST_ASSERT_MSG_EQ(uint32_t(f.type), uint32_t(QuicStreamControlType::STOP_SENDING), "");
    }
};

/**
 * \ingroup quic-migration-tests
 * Virtual payload and integrity checks: the pattern wraps its period, the checksum
 * does not depend on split or order but catches changed and swapped bytes, and a
 * discarding sink counts, checks and releases without buffering.
 */
class QuicStreamPayloadTestCase : public TestCase
{
  public:
    QuicStreamPayloadTestCase()
        : TestCase("payload: pattern, order-independent checksum, discarding sink")
    {
    }

  private:
    void DoRun() override
    {
        const uint64_t base = QuicStreamPattern::PERIOD - 700; // crosses the period
        std::vector<uint8_t> buf(2000);
        QuicStreamPattern::Fill(base, buf.data(), buf.size());
        bool same = true;
        for (size_t i = 0; i < buf.size(); ++i)
        {
            same &= buf[i] == QuicStreamPattern::ByteAt(base + i);
        }
        NS_TEST_ASSERT_MSG_EQ(same, true, "Fill agrees with ByteAt across the period");
        NS_TEST_ASSERT_MSG_EQ(QuicStreamPattern::Matches(base, buf.data(), buf.size()),
                              true,
                              "matches itself");
        NS_TEST_ASSERT_MSG_EQ(QuicStreamPattern::Matches(base + 1, buf.data(), buf.size()),
                              false,
                              "not one byte off");
        buf[1500] ^= 1;
        NS_TEST_ASSERT_MSG_EQ(QuicStreamPattern::Matches(base, buf.data(), buf.size()),
                              false,
                              "a flipped bit");

        // Checksum: any split and order gives the same value.
        const auto data = MakeBytes(10000, 6);
        QuicStreamChecksum whole;
        whole.Add(3, data.data(), data.size());
        std::mt19937_64 rng(6);
        std::vector<std::pair<size_t, size_t>> parts;
        for (size_t off = 0; off < data.size();)
        {
            const size_t len = std::min<size_t>(data.size() - off, 1 + Draw(rng, 37));
            parts.emplace_back(off, len);
            off += len;
        }
        Shuffle(parts, rng);
        QuicStreamChecksum pieces;
        for (const auto& p : parts)
        {
            pieces.Add(3 + p.first, data.data() + p.first, p.second);
        }
        NS_TEST_ASSERT_MSG_EQ(pieces.GetValue(), whole.GetValue(), "split and order invariant");
        auto changed = data;
        changed[4321] ^= 0x80;
        QuicStreamChecksum c1;
        c1.Add(3, changed.data(), changed.size());
        NS_TEST_ASSERT_MSG_NE(c1.GetValue(), whole.GetValue(), "changed byte detected");
        auto swapped = data;
        std::swap(swapped[10], swapped[5000]);
        QuicStreamChecksum c2;
        c2.Add(3, swapped.data(), swapped.size());
        NS_TEST_ASSERT_MSG_EQ((swapped == data || c2 != whole), true, "swapped bytes detected");
        QuicStreamChecksum c3;
        c3.Add(4, data.data(), data.size());
        NS_TEST_ASSERT_MSG_NE(c3.GetValue(), whole.GetValue(), "shifted stream detected");
        std::vector<uint8_t> pat(100000);
        QuicStreamPattern::Fill(5, pat.data(), pat.size());
        QuicStreamChecksum manual;
        manual.Add(5, pat.data(), pat.size());
        NS_TEST_ASSERT_MSG_EQ(QuicStreamChecksum::OfPattern(5, pat.size()).GetValue(),
                              manual.GetValue(),
                              "OfPattern");

        // Discarding sink: out-of-order pattern chunks, one corrupted.
        QuicReceiveFlowControl connection(1 << 20);
        QuicReceiveStream r(3, 50000);
        r.SetConnectionFlowControl(&connection);
        r.SetDiscardPayload(true);
        r.SetChecksumEnabled(true);
        r.SetVerifyPattern(true);
        const uint64_t size = 40000;
        std::vector<uint8_t> chunk(4000);
        for (uint64_t off : {8000, 0, 24000, 4000, 36000, 12000, 16000, 32000, 20000, 28000, 4000})
        {
            QuicStreamPattern::Fill(off, chunk.data(), chunk.size());
            if (off == 16000)
            {
                chunk[7] ^= 0xff;
            }
            QUIC_TEST_ASSERT_ERROR(r.OnStreamFrame(off, chunk.data(), chunk.size(), off == 36000),
                                   OK,
                                   "chunk at " << off);
            NS_TEST_ASSERT_MSG_EQ(r.GetBufferCapacity(), 0, "no buffer");
            NS_TEST_ASSERT_MSG_EQ(r.GetReadOffset(), r.GetContiguousOffset(), "consumed in order");
        }
        NS_TEST_ASSERT_MSG_EQ(r.GetState(), QuicReceiveStream::DATA_READ, "done without reads");
        NS_TEST_ASSERT_MSG_EQ(r.GetBytesDelivered(), size, "delivered");
        NS_TEST_ASSERT_MSG_EQ(r.GetDuplicateBytes(), 4000, "the repeated chunk");
        NS_TEST_ASSERT_MSG_EQ(r.GetPatternMismatches(), 1, "the corrupted chunk");
        NS_TEST_ASSERT_MSG_NE(r.GetChecksum().GetValue(),
                              QuicStreamChecksum::OfPattern(0, size).GetValue(),
                              "checksum reveals the corruption");
        NS_TEST_ASSERT_MSG_EQ(connection.GetConsumed(), size, "connection credit returned");
        uint8_t b[8];
        NS_TEST_ASSERT_MSG_EQ(r.Read(b, sizeof(b)), 0, "nothing to read");
    }
};

/**
 * \ingroup quic-migration-tests
 * A bulk transfer between two managers: virtual payload on the sender, a channel that
 * reorders (random pick among up to 64 packets in flight), drops packets, and loses
 * acknowledgements (spurious retransmissions), and a receiver that stalls now and then.
 * Checks the byte stream by checksum and pattern, and that memory stays within the
 * granted credit at every step: buffered bytes and the ring never exceed the window.
 */
class QuicStreamBulkTransferTestCase : public TestCase
{
  public:
    /**
     * \param bytes bytes to move
     * \param discard receiver discards payload (counts + checksum) instead of reading
     * \param lossPercent packet loss, percent
     */
    QuicStreamBulkTransferTestCase(uint64_t bytes, bool discard, uint32_t lossPercent)
        : TestCase("bulk: " + std::to_string(bytes >> 20) + " MiB virtual payload, " +
                   std::to_string(lossPercent) + "% loss, reordering, " +
                   (discard ? "discarding sink" : "reading sink")),
          m_bytes(bytes),
          m_discard(discard),
          m_lossPercent(lossPercent)
    {
    }

  private:
    /// A packet on the simulated channel.
    struct Packet
    {
        bool hasChunk{false};                         //!< carries a chunk
        QuicStreamChunk chunk;                        //!< the chunk
        std::vector<uint8_t> payload;                 //!< its payload
        std::vector<QuicStreamControlFrame> controls; //!< control frames
    };

    void DoRun() override
    {
        const uint64_t mtu = 1200;
        const size_t maxInFlight = 64;
        std::mt19937_64 rng(2024 + m_lossPercent);

        QuicStreamManagerConfig cc =
            Config(QuicStreamInitiator::CLIENT, Limits(1 << 20, 1 << 18, 4, 4));
        QuicStreamManagerConfig sc =
            Config(QuicStreamInitiator::SERVER, Limits(512 << 10, 256 << 10, 4, 4));
        sc.maxStreamWindow = 1 << 20;
        sc.maxConnectionWindow = 2 << 20;
        sc.discardReceivedPayload = m_discard;
        sc.checksumReceivedPayload = true;
        sc.verifyReceivedPattern = true;
        QuicStreamManager client(cc);
        QuicStreamManager server(sc);
        client.SetPeerLimits(sc.local);
        server.SetPeerLimits(cc.local);

        QuicStream* tx = client.OpenStream(QuicStreamDirection::UNIDIRECTIONAL);
        const uint64_t id = tx->GetId();
        NS_TEST_ASSERT_MSG_EQ(tx->GetSendStream()->WriteVirtual(m_bytes), m_bytes, "virtual write");
        tx->GetSendStream()->Finish();

        std::vector<Packet> inFlight;
        std::vector<uint8_t> readBuf(64 << 10);
        QuicStreamChecksum readSum;
        uint64_t readBytes = 0;
        uint64_t readMismatch = 0;
        uint64_t maxBuffered = 0;
        uint64_t maxCapacity = 0;
        uint64_t maxConnUnread = 0;
        uint64_t lostPackets = 0;
        bool rxDone = false;
        QuicReceiveStream* rx = nullptr;
        uint64_t step = 0;
        const Time rtt = MilliSeconds(1);

        auto drop = [&](uint64_t percent) { return Draw(rng, 100) < percent; };

        while (!(rxDone && tx->GetSendStream()->GetState() == QuicSendStream::DATA_RECVD))
        {
            ++step;
            if (step > 20 * (m_bytes / mtu) + 100000)
            {
                NS_TEST_ASSERT_MSG_EQ(true, false, "no progress");
                break;
            }
            const Time now = MicroSeconds(10 * step);
            // Sender: fill the window of packets in flight.
            while (inFlight.size() < maxInFlight)
            {
                Packet p;
                QuicStreamControlFrame f;
                while (p.controls.size() < 4 && client.NextControlFrame(f, now, rtt))
                {
                    p.controls.push_back(f);
                }
                if (client.NextStreamChunk(mtu, p.chunk))
                {
                    p.hasChunk = true;
                    p.payload.resize(p.chunk.length);
                    NS_TEST_ASSERT_MSG_EQ(client.CopyStreamData(p.chunk, p.payload.data()),
                                          true,
                                          "payload available");
                }
                if (!p.hasChunk && p.controls.empty())
                {
                    break;
                }
                inFlight.push_back(std::move(p));
            }
            if (inFlight.empty() && !server.HasControlFrame() && rx &&
                rx->GetReadableBytes() == 0 && !rxDone)
            {
                NS_TEST_ASSERT_MSG_EQ(true, false, "deadlock at step " << step);
                break;
            }
            // Channel: deliver one packet picked at random (reordering), or lose it.
            if (!inFlight.empty())
            {
                const size_t i = Draw(rng, inFlight.size());
                Packet p = std::move(inFlight[i]);
                inFlight[i] = std::move(inFlight.back());
                inFlight.pop_back();
                if (drop(m_lossPercent))
                {
                    ++lostPackets;
                    if (p.hasChunk)
                    {
                        client.OnStreamChunkLost(p.chunk);
                    }
                    for (const auto& f : p.controls)
                    {
                        client.OnControlFrameLost(f);
                    }
                }
                else
                {
                    for (const auto& f : p.controls)
                    {
                        if (f.type == QuicStreamControlType::STREAM_DATA_BLOCKED)
                        {
                            server.OnStreamDataBlocked(f.streamId, f.value);
                        }
                        else if (f.type == QuicStreamControlType::DATA_BLOCKED)
                        {
                            server.OnDataBlocked(f.value);
                        }
                    }
                    if (p.hasChunk)
                    {
                        const QuicTransportError e = server.OnStreamFrame(p.chunk.streamId,
                                                                          p.chunk.offset,
                                                                          p.payload.data(),
                                                                          p.chunk.length,
                                                                          p.chunk.fin);
                        QUIC_TEST_ASSERT_ERROR(e, OK, "frame accepted at step " << step);
                    }
                    // The acknowledgement itself may be lost: spurious retransmission.
                    const bool ackLost = drop(m_lossPercent / 2);
                    if (p.hasChunk)
                    {
                        ackLost ? client.OnStreamChunkLost(p.chunk)
                                : client.OnStreamChunkAcked(p.chunk);
                    }
                    for (const auto& f : p.controls)
                    {
                        ackLost ? client.OnControlFrameLost(f) : client.OnControlFrameAcked(f);
                    }
                }
            }
            if (!rx)
            {
                QuicStream* s = server.AcceptStream();
                if (s)
                {
                    NS_TEST_ASSERT_MSG_EQ(s->GetId(), id, "the stream");
                    rx = s->GetReceiveStream();
                }
            }
            if (rx && !rxDone)
            {
                // Receiver application: reads, except during stalls.
                const bool stalled = (step / 3000) % 5 == 4;
                if (!m_discard && !stalled)
                {
                    const size_t n = rx->Read(readBuf.data(), 1 + Draw(rng, readBuf.size()));
                    if (n > 0)
                    {
                        readMismatch +=
                            QuicStreamPattern::Matches(readBytes, readBuf.data(), n) ? 0 : 1;
                        readSum.Add(readBytes, readBuf.data(), n);
                        readBytes += n;
                    }
                }
                const QuicReceiveFlowControl& fc = rx->GetFlowControl();
                maxBuffered = std::max(maxBuffered, rx->GetBufferedBytes());
                maxCapacity = std::max(maxCapacity, rx->GetBufferCapacity());
                if (rx->GetBufferedBytes() > fc.GetWindow() ||
                    rx->GetBufferCapacity() > fc.GetWindow())
                {
                    NS_TEST_ASSERT_MSG_EQ(rx->GetBufferedBytes(), fc.GetWindow(), "buffer bound");
                    NS_TEST_ASSERT_MSG_EQ(rx->GetBufferCapacity(), fc.GetWindow(), "ring bound");
                    break;
                }
                const QuicReceiveFlowControl& conn = server.GetFlowController().GetReceiveSide();
                maxConnUnread = std::max(maxConnUnread, conn.GetReceived() - conn.GetConsumed());
                if (rx->IsFinished())
                {
                    rxDone = true;
                    // Final observations before the stream is removed.
                    NS_TEST_ASSERT_MSG_EQ(rx->GetBytesDelivered(), m_bytes, "delivered");
                    NS_TEST_ASSERT_MSG_EQ(rx->GetUniqueBytes(), m_bytes, "unique bytes");
                    NS_TEST_ASSERT_MSG_EQ(rx->GetPatternMismatches(), 0, "pattern on arrival");
                    NS_TEST_ASSERT_MSG_EQ(rx->GetChecksum().GetValue(),
                                          QuicStreamChecksum::OfPattern(0, m_bytes).GetValue(),
                                          "checksum of distinct bytes received");
                    NS_TEST_ASSERT_MSG_EQ(server.RemoveClosedStreams(), 1, "receiver removed");
                    rx = nullptr;
                }
            }
            // Receiver control frames (MAX_DATA, MAX_STREAM_DATA) back to the sender.
            QuicStreamControlFrame f;
            while (server.NextControlFrame(f, now, rtt))
            {
                if (drop(m_lossPercent))
                {
                    server.OnControlFrameLost(f);
                    continue;
                }
                if (f.type == QuicStreamControlType::MAX_DATA)
                {
                    client.OnMaxData(f.value);
                }
                else if (f.type == QuicStreamControlType::MAX_STREAM_DATA)
                {
                    QUIC_TEST_ASSERT_ERROR(client.OnMaxStreamData(f.streamId, f.value), OK, "MSD");
                }
                server.OnControlFrameAcked(f);
            }
        }
        // The loop exits once the sender saw every acknowledgement.
        NS_TEST_ASSERT_MSG_EQ(rxDone, true, "receiver finished");
        NS_TEST_ASSERT_MSG_EQ(tx->GetSendStream()->GetState(),
                              QuicSendStream::DATA_RECVD,
                              "sender done");
        NS_TEST_ASSERT_MSG_EQ(tx->GetSendStream()->GetBytesSent(),
                              m_bytes,
                              "sent once as new data");
        NS_TEST_ASSERT_MSG_EQ((tx->GetSendStream()->GetBytesRetransmitted() > 0),
                              true,
                              "losses repaired");
        if (!m_discard)
        {
            NS_TEST_ASSERT_MSG_EQ(readBytes, m_bytes, "read everything");
            NS_TEST_ASSERT_MSG_EQ(readMismatch, 0, "pattern of the bytes read");
            NS_TEST_ASSERT_MSG_EQ(readSum.GetValue(),
                                  QuicStreamChecksum::OfPattern(0, m_bytes).GetValue(),
                                  "checksum of the bytes read");
            NS_TEST_ASSERT_MSG_EQ((maxBuffered > 0), true, "something was buffered");
        }
        else
        {
            NS_TEST_ASSERT_MSG_EQ(maxCapacity, 0, "discarding sink holds no buffer");
        }
        NS_TEST_ASSERT_MSG_EQ((maxCapacity <= sc.maxStreamWindow), true, "ring within max window");
        NS_TEST_ASSERT_MSG_EQ((maxConnUnread <= sc.maxConnectionWindow),
                              true,
                              "connection backlog within its window");
        NS_TEST_ASSERT_MSG_EQ(client.RemoveClosedStreams(), 1, "sender removed");
        NS_TEST_ASSERT_MSG_EQ((lostPackets > 0), true, "the channel lost packets");
    }

    uint64_t m_bytes;       //!< bytes to move
    bool m_discard;         //!< discarding sink
    uint32_t m_lossPercent; //!< loss percentage
};

/**
 * \ingroup quic-migration-tests
 * Stream unit tests.
 */
class QuicStreamTestSuite : public TestSuite
{
  public:
    QuicStreamTestSuite()
        : TestSuite("quic-stream", QUIC_SUITE_UNIT)
    {
        AddTestCase(new QuicStreamIdTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicStreamIdValidationTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicRangeSetTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicSendStreamCreditTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicSendStreamLossTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicSendStreamResetTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicReceiveStreamReassemblyTestCase(11, false), QUIC_TEST_QUICK);
        AddTestCase(new QuicReceiveStreamReassemblyTestCase(12, true), QUIC_TEST_QUICK);
        AddTestCase(new QuicReceiveStreamReassemblyTestCase(13, true, true), QUIC_TEST_QUICK);
        AddTestCase(new QuicReceiveStreamReassemblyTestCase(14, true, true), QUIC_TEST_QUICK);
        AddTestCase(new QuicReceiveStreamDirectTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicReceiveStreamErrorsTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicReceiveStreamWindowTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicConnectionFlowControlTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicStreamLimitsTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicStreamManagerSchedulingTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicStreamPayloadTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicStreamBulkTransferTestCase(100 << 20, false, 2), QUIC_TEST_QUICK);
        AddTestCase(new QuicStreamBulkTransferTestCase(100 << 20, true, 5), QUIC_TEST_QUICK);
    }
};

static QuicStreamTestSuite g_quicStreamTestSuite; //!< Static variable for test initialization
