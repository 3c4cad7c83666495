/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Connection IDs and stateless resets (RFC 9000 §5.1, §9.5, §10.3, §19.15, §19.16): the
// QuicCidManager (local and peer CIDs, NEW_/RETIRE_CONNECTION_ID, paths, stateless reset
// detection) and the quic-stateless-reset unit (token derivation, reset builder, rate
// limiter). Pure logic: no Simulator, no sockets. Every case names the requirement rows of
// ../shared/rfc9000-migration-requirements.md it proves.
//
// Rows proved here: CID-01, CID-03, CID-04, CID-05, CID-06, CID-07, CID-08, CID-10, CID-11,
// CID-12, CID-13, CID-14, CID-15 (routing table kept in step), FR-02, FR-03, FR-04, FR-05,
// FR-06, FR-07, FR-08, FR-09, FR-10, PRIV-01, PRIV-02, PRIV-03, NAT-03, SR-03, SR-04, SR-05,
// SR-06, SR-07, SR-08, SR-09, SR-10, SR-11 (detection half), SR-12.
// Rows that need a connection or an endpoint (CID-02, CID-15 packet matching, CID-17, CID-18,
// SR-01, SR-02, SR-11 draining, SR-13, SR-14) belong to the connection and endpoint suites.

#include "quic-ns3-compat.h"

#include "ns3/quic-cid-manager.h"
#include "ns3/quic-error.h"
#include "ns3/quic-frame.h"
#include "ns3/quic-stateless-reset.h"
#include "ns3/test.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <vector>

using namespace ns3;

namespace
{

/// Compare two transport errors by name (readable failure messages).
#define EXPECT_ERR(actual, expected, msg)                                                          \
    NS_TEST_EXPECT_MSG_EQ(QuicTransportErrorName(actual), QuicTransportErrorName(expected), msg)

/// NO_ERROR, to compare with.
constexpr QuicTransportError OK = QuicTransportError::NO_ERROR;
/// PROTOCOL_VIOLATION, to compare with.
constexpr QuicTransportError PV = QuicTransportError::PROTOCOL_VIOLATION;
/// CONNECTION_ID_LIMIT_ERROR, to compare with.
constexpr QuicTransportError LIMIT = QuicTransportError::CONNECTION_ID_LIMIT_ERROR;

/**
 * \param t a token
 * \return its hex form
 */
std::string
Hex(const QuicResetToken& t)
{
    std::ostringstream os;
    for (uint8_t b : t)
    {
        static const char* digits = "0123456789abcdef";
        os << digits[b >> 4] << digits[b & 15];
    }
    return os.str();
}

/**
 * \param f a NEW_CONNECTION_ID frame
 * \return its token
 */
QuicResetToken
TokenOf(const QuicFrame& f)
{
    QuicResetToken t;
    std::copy(std::begin(f.m_statelessResetToken), std::end(f.m_statelessResetToken), t.begin());
    return t;
}

/**
 * \param seed a seed
 * \return a token made of deterministic bytes
 */
QuicResetToken
MakeToken(uint64_t seed)
{
    QuicResetToken t;
    uint64_t x = seed * 0x9E3779B97F4A7C15ULL + 1;
    for (auto& b : t)
    {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        b = static_cast<uint8_t>(x);
    }
    return t;
}

/**
 * \param seed a seed
 * \param length CID length
 * \return a CID made of deterministic bytes
 */
QuicConnectionId
MakeCid(uint64_t seed, size_t length = 8)
{
    uint8_t bytes[QuicConnectionId::MAX_LENGTH];
    uint64_t x = seed + 0x1234567;
    for (size_t i = 0; i < length; ++i)
    {
        x += 0x9E3779B97F4A7C15ULL;
        uint64_t z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        bytes[i] = static_cast<uint8_t>(z >> 56);
    }
    return QuicConnectionId(bytes, length);
}

/**
 * \brief A fake endpoint: CID generator, routing table and static key, like QuicEndpoint.
 */
struct FakeEndpoint
{
    uint64_t m_counter{0};                         //!< generator state
    unsigned m_repeatEvery{0};                     //!< every n-th draw repeats (0: never)
    std::vector<QuicConnectionId> m_drawn;         //!< every value drawn
    std::set<QuicConnectionId> m_refuse;           //!< values "held by other connections"
    std::map<QuicConnectionId, uint64_t> m_routes; //!< CID -> sequence number
    std::vector<uint8_t> m_key;                    //!< static reset key
    uint64_t m_badUnregister{0};                   //!< unregister of an unrouted CID
    uint64_t m_badRegister{0};                     //!< register of a routed CID
    uint64_t m_seedBase{0};                        //!< CID value space

    /// \param seedBase value space of this endpoint's CIDs
    explicit FakeEndpoint(uint64_t seedBase = 0)
        : m_seedBase(seedBase)
    {
        for (uint8_t i = 0; i < 32; ++i)
        {
            m_key.push_back(static_cast<uint8_t>(0xa0 + i + seedBase));
        }
    }

    /// \return the next CID (sometimes a repeat, if configured)
    QuicConnectionId Next()
    {
        ++m_counter;
        QuicConnectionId c;
        if (m_repeatEvery != 0 && m_counter % m_repeatEvery == 0 && !m_drawn.empty())
        {
            c = m_drawn[m_counter % m_drawn.size()];
        }
        else
        {
            c = MakeCid(m_seedBase * 1000003 + m_counter);
        }
        m_drawn.push_back(c);
        return c;
    }

    /// \param m the manager to wire to this endpoint
    void Attach(QuicCidManager& m)
    {
        m.SetCidGenerator([this]() { return Next(); });
        m.SetRoutingCallbacks(
            [this](const QuicConnectionId& c, uint64_t seq) {
                if (m_refuse.count(c) != 0)
                {
                    return false;
                }
                if (!m_routes.emplace(c, seq).second)
                {
                    ++m_badRegister;
                    return false;
                }
                return true;
            },
            [this](const QuicConnectionId& c, uint64_t) {
                if (m_routes.erase(c) == 0)
                {
                    ++m_badUnregister;
                }
            });
        m.SetResetKey(m_key);
    }
};

/**
 * \brief Take every frame the manager wants to send.
 * \param m the manager
 * \param records receives the records, in order
 * \return the frames
 */
std::vector<QuicFrame>
Drain(QuicCidManager& m, std::vector<QuicCidFrameRecord>* records = nullptr)
{
    std::vector<QuicFrame> out;
    QuicFrame f;
    QuicCidFrameRecord r;
    while (m.NextFrame(f, r))
    {
        out.push_back(f);
        if (records != nullptr)
        {
            records->push_back(r);
        }
    }
    return out;
}

/**
 * \brief Acknowledge every frame of a drained batch.
 * \param m the manager
 * \param records the records
 */
void
AckAll(QuicCidManager& m, const std::vector<QuicCidFrameRecord>& records)
{
    for (const auto& r : records)
    {
        m.OnFrameAcked(r);
    }
}

/**
 * \param frames some frames
 * \param type a frame type
 * \return the sequence numbers of the frames of that type
 */
std::vector<uint64_t>
SeqsOf(const std::vector<QuicFrame>& frames, QuicFrameType type)
{
    std::vector<uint64_t> out;
    for (const auto& f : frames)
    {
        if (f.m_type == type)
        {
            out.push_back(f.m_sequenceNumber);
        }
    }
    return out;
}

/**
 * \param v a vector
 * \return "a,b,c"
 */
std::string
Join(const std::vector<uint64_t>& v)
{
    std::ostringstream os;
    for (size_t i = 0; i < v.size(); ++i)
    {
        os << (i ? "," : "") << v[i];
    }
    return os.str();
}

/**
 * \brief A receiving manager with our limit and the peer's sequence 0 on path 0.
 * \param m the manager
 * \param limit our active_connection_id_limit
 * \param seq0 the peer's handshake CID
 */
void
InitPeerSide(QuicCidManager& m, uint64_t limit, const QuicConnectionId& seq0)
{
    m.SetLocalActiveConnectionIdLimit(limit);
    m.SetInitialPeerCid(seq0, 0);
}

// =============================================================================================
// Issuing side
// =============================================================================================

/**
 * \ingroup quic-migration-tests
 * \brief CID-04, CID-06, CID-07, CID-15: the issuer keeps the peer stocked with
 * min(limit, cap) CIDs, numbers them consecutively, never exceeds the peer's limit, and keeps
 * the routing table equal to its active CIDs, over many retirements and a lossy channel.
 */
class QuicCidIssueLimitTestCase : public TestCase
{
  public:
    /**
     * \param peerLimit the peer's active_connection_id_limit
     * \param cap our local issue cap
     */
    QuicCidIssueLimitTestCase(uint64_t peerLimit, uint64_t cap)
        : TestCase("CID-04, CID-06, CID-07, CID-15 issuance: peer limit " +
                   std::to_string(peerLimit) + ", local cap " + std::to_string(cap) +
                   ": consecutive seqs, never above the limit, replacement after retirement"),
          m_peerLimit(peerLimit),
          m_cap(cap)
    {
    }

  private:
    void DoRun() override
    {
        FakeEndpoint ep;
        QuicCidManager m;
        ep.Attach(m);
        m.SetLocalIssueCap(m_cap);
        NS_TEST_ASSERT_MSG_EQ(m.SetInitialLocalCid(ep.Next()), true, "seq 0");
        NS_TEST_EXPECT_MSG_EQ(Drain(m).size(), 0, "nothing issued before the peer's limit");
        m.SetPeerActiveConnectionIdLimit(m_peerLimit);
        const uint64_t target = std::min(m_peerLimit, m_cap);

        std::map<uint64_t, QuicConnectionId> peerHeld; // the peer's view
        peerHeld[0] = m.GetActiveLocalCids().front();
        uint64_t peerRpt = 0;
        uint64_t lastNew = 0;
        uint64_t maxHeld = 0;
        bool consecutive = true;
        std::mt19937_64 rng(m_peerLimit * 7 + m_cap);

        for (int round = 0; round < 300; ++round)
        {
            bool lossy = round < 250;
            std::vector<QuicCidFrameRecord> recs;
            auto frames = Drain(m, &recs);
            for (size_t i = 0; i < frames.size() && i < recs.size(); ++i)
            {
                const QuicFrame& f = frames[i];
                NS_TEST_EXPECT_MSG_EQ((f.m_type == QuicFrameType::NEW_CONNECTION_ID),
                                      true,
                                      "issuer sends only NEW_CONNECTION_ID");
                if (f.m_sequenceNumber > lastNew)
                {
                    consecutive = consecutive && f.m_sequenceNumber == lastNew + 1; // CID-04
                    lastNew = f.m_sequenceNumber;
                }
                if (lossy && rng() % 5 == 0)
                {
                    m.OnFrameLost(recs[i]);
                    continue;
                }
                peerRpt = std::max(peerRpt, f.m_retirePriorTo);
                peerHeld[f.m_sequenceNumber] = f.m_connectionId;
                peerHeld.erase(peerHeld.begin(), peerHeld.lower_bound(peerRpt));
                maxHeld = std::max<uint64_t>(maxHeld, peerHeld.size());
                m.OnFrameAcked(recs[i]);
            }
            // The peer retires its oldest CID in a packet sent to its newest one.
            if (peerHeld.size() >= 2 && rng() % 2 == 0)
            {
                uint64_t low = peerHeld.begin()->first;
                QuicConnectionId carrier = peerHeld.rbegin()->second;
                EXPECT_ERR(m.OnRetireConnectionId(low, carrier), OK, "valid retirement");
                peerHeld.erase(low);
            }
            NS_TEST_EXPECT_MSG_EQ(ep.m_routes.size(),
                                  m.GetActiveLocalCount(),
                                  "routing table follows issuance and retirement (CID-15)");
        }
        // Lossless tail: the peer ends up stocked to the target (CID-06).
        for (int i = 0; i < 3; ++i)
        {
            std::vector<QuicCidFrameRecord> recs;
            for (const auto& f : Drain(m, &recs))
            {
                peerHeld[f.m_sequenceNumber] = f.m_connectionId;
                peerHeld.erase(peerHeld.begin(),
                               peerHeld.lower_bound(std::max(peerRpt, f.m_retirePriorTo)));
            }
            AckAll(m, recs);
        }
        NS_TEST_EXPECT_MSG_EQ(consecutive, true, "new sequence numbers go up by one (CID-04)");
        NS_TEST_EXPECT_MSG_LT_OR_EQ(maxHeld, m_peerLimit, "never above the peer's limit (CID-07)");
        NS_TEST_EXPECT_MSG_LT_OR_EQ(maxHeld, target, "never above min(limit, cap)");
        NS_TEST_EXPECT_MSG_EQ(peerHeld.size(), target, "peer stocked to min(limit, cap) (CID-06)");
        NS_TEST_EXPECT_MSG_GT(lastNew, 50, "many replacements were issued");
        NS_TEST_EXPECT_MSG_EQ(ep.m_badRegister + ep.m_badUnregister, 0, "routing calls paired");
        for (const auto& [seq, cid] : peerHeld)
        {
            NS_TEST_EXPECT_MSG_EQ(m.IsActive(cid), true, "every CID the peer holds is accepted");
            NS_TEST_EXPECT_MSG_EQ(ep.m_routes.count(cid), 1, "and routed (CID-05, CID-15)");
        }
    }

    uint64_t m_peerLimit; //!< the peer's limit
    uint64_t m_cap;       //!< local cap
};

/**
 * \ingroup quic-migration-tests
 * \brief CID-01, SR-12: over more than 1000 issued CIDs no value repeats, even when the
 * generator repeats itself or the endpoint refuses values held elsewhere; tokens are distinct
 * and equal to HMAC-SHA256(key, cid) truncated; the lifetime cap stops issuance.
 */
class QuicCidUniquenessTestCase : public TestCase
{
  public:
    QuicCidUniquenessTestCase()
        : TestCase("CID-01, SR-12 >= 1000 issued CIDs: unique values, unique tokens reproducible "
                   "from the static key; lifetime cap")
    {
    }

  private:
    void DoRun() override
    {
        FakeEndpoint ep(3);
        ep.m_repeatEvery = 3; // every third draw repeats an earlier value
        QuicCidManager m;
        ep.Attach(m);
        m.SetMaxIssued(0);
        QuicConnectionId seq0 = ep.Next();
        NS_TEST_ASSERT_MSG_EQ(m.SetInitialLocalCid(seq0), true, "seq 0");
        // Values another connection of the endpoint holds: refused by the routing table.
        for (int i = 0; i < 40; ++i)
        {
            ep.m_refuse.insert(MakeCid(3 * 1000003 + 100 + i * 7));
        }
        m.SetPeerActiveConnectionIdLimit(4);

        std::map<uint64_t, QuicConnectionId> issued{{0, seq0}};
        std::map<uint64_t, QuicResetToken> tokens;
        tokens[0] = *m.GetLocalResetToken(0);
        std::set<uint64_t> held{0};
        while (issued.size() < 1200)
        {
            std::vector<QuicCidFrameRecord> recs;
            auto frames = Drain(m, &recs);
            AckAll(m, recs);
            if (frames.empty() && held.size() < 2)
            {
                NS_TEST_ASSERT_MSG_EQ(true, false, "issuance stalled");
            }
            for (const auto& f : frames)
            {
                issued[f.m_sequenceNumber] = f.m_connectionId;
                tokens[f.m_sequenceNumber] = TokenOf(f);
                held.insert(f.m_sequenceNumber);
            }
            uint64_t low = *held.begin();
            uint64_t high = *held.rbegin();
            EXPECT_ERR(m.OnRetireConnectionId(low, issued[high]), OK, "retire the oldest");
            held.erase(low);
        }
        std::set<QuicConnectionId> values;
        std::set<std::string> tokenSet;
        bool reproducible = true;
        bool refusedIssued = false;
        for (const auto& [seq, cid] : issued)
        {
            values.insert(cid);
            tokenSet.insert(Hex(tokens[seq]));
            reproducible = reproducible && QuicStatelessResetToken(ep.m_key, cid) == tokens[seq];
            refusedIssued = refusedIssued || ep.m_refuse.count(cid) != 0;
        }
        NS_TEST_EXPECT_MSG_GT_OR_EQ(issued.size(), 1000, "at least 1000 issued");
        NS_TEST_EXPECT_MSG_EQ(values.size(), issued.size(), "no CID value issued twice (CID-01)");
        NS_TEST_EXPECT_MSG_EQ(tokenSet.size(), issued.size(), "one token per CID (SR-12)");
        NS_TEST_EXPECT_MSG_EQ(reproducible, true, "token = HMAC-SHA256(key, cid)[0..16) (SR-12)");
        NS_TEST_EXPECT_MSG_EQ(refusedIssued, false, "values routed elsewhere are never issued");
        NS_TEST_EXPECT_MSG_GT(ep.m_drawn.size(), issued.size(), "the generator did repeat");
        for (const auto& [seq, cid] : issued)
        {
            if (m.IsActive(cid))
            {
                auto t = m.GetLocalResetToken(seq);
                NS_TEST_EXPECT_MSG_EQ((t && *t == tokens[seq]), true, "token of an active CID");
            }
        }
        // Another key gives other tokens for the same CID.
        std::vector<uint8_t> otherKey(ep.m_key);
        otherKey[0] ^= 1;
        NS_TEST_EXPECT_MSG_NE(Hex(QuicStatelessResetToken(otherKey, seq0)),
                              Hex(QuicStatelessResetToken(ep.m_key, seq0)),
                              "the token depends on the key");

        // Lifetime cap (§5.1.1 MAY): 6 CIDs in all, sequence 0 included.
        FakeEndpoint ep2(4);
        QuicCidManager capped;
        ep2.Attach(capped);
        capped.SetMaxIssued(6);
        capped.SetInitialLocalCid(ep2.Next());
        capped.SetPeerActiveConnectionIdLimit(2);
        std::map<uint64_t, QuicConnectionId> live{{0, capped.GetActiveLocalCids().front()}};
        for (int i = 0; i < 20; ++i)
        {
            std::vector<QuicCidFrameRecord> recs;
            for (const auto& f : Drain(capped, &recs))
            {
                live[f.m_sequenceNumber] = f.m_connectionId;
            }
            AckAll(capped, recs);
            if (live.size() >= 2)
            {
                capped.OnRetireConnectionId(live.begin()->first, live.rbegin()->second);
                live.erase(live.begin());
            }
        }
        NS_TEST_EXPECT_MSG_EQ(capped.GetNextLocalSequenceNumber(), 6, "lifetime cap holds");
    }
};

/**
 * \ingroup quic-migration-tests
 * \brief FR-08, FR-09, FR-10, CID-06, SR-03: RETIRE_CONNECTION_ID handling on the issuer.
 */
class QuicCidRetireErrorsTestCase : public TestCase
{
  public:
    QuicCidRetireErrorsTestCase()
        : TestCase("FR-09, FR-10, FR-08, CID-06, SR-03 RETIRE_CONNECTION_ID: never-issued seq and "
                   "own-DCID retirement are PROTOCOL_VIOLATION; valid ones unroute and replace")
    {
    }

  private:
    void DoRun() override
    {
        FakeEndpoint ep;
        QuicCidManager m;
        ep.Attach(m);
        QuicConnectionId c0 = ep.Next();
        m.SetInitialLocalCid(c0);
        m.SetPeerActiveConnectionIdLimit(3);
        NS_TEST_EXPECT_MSG_EQ(m.GetActiveLocalCount(), 3, "seq 0, 1, 2");
        // Issued but not sent yet: the peer cannot know seq 1 (FR-09).
        EXPECT_ERR(m.OnRetireConnectionId(1, c0), PV, "seq 1 not sent yet (FR-09)");
        std::vector<QuicCidFrameRecord> recs;
        auto frames = Drain(m, &recs);
        AckAll(m, recs);
        NS_TEST_ASSERT_MSG_EQ(frames.size(), 2, "NEW_CONNECTION_ID 1 and 2");
        QuicConnectionId c1 = frames[0].m_connectionId;
        QuicConnectionId c2 = frames[1].m_connectionId;
        EXPECT_ERR(m.OnRetireConnectionId(3, c0), PV, "seq 3 never issued (FR-09)");
        EXPECT_ERR(m.OnRetireConnectionId(99, c0), PV, "seq 99 never issued (FR-09)");
        EXPECT_ERR(m.OnRetireConnectionId(2, c2), PV, "retiring the carrying DCID (FR-10)");
        NS_TEST_EXPECT_MSG_EQ(m.IsActive(c2), true, "the refused retirement changed nothing");

        EXPECT_ERR(m.OnRetireConnectionId(1, c0), OK, "valid retirement of seq 1");
        NS_TEST_EXPECT_MSG_EQ(m.IsActive(c1), false, "seq 1 no longer accepted");
        NS_TEST_EXPECT_MSG_EQ(ep.m_routes.count(c1), 0, "seq 1 unrouted");
        NS_TEST_EXPECT_MSG_EQ(m.GetLocalResetToken(1).has_value(), false, "token void (SR-03)");
        recs.clear();
        frames = Drain(m, &recs);
        AckAll(m, recs);
        NS_TEST_ASSERT_MSG_EQ(frames.size(), 1, "a replacement (CID-06)");
        NS_TEST_EXPECT_MSG_EQ(frames[0].m_sequenceNumber, 3, "replacement is seq 3");
        NS_TEST_EXPECT_MSG_EQ(ep.m_routes.count(frames[0].m_connectionId), 1, "and routed");

        EXPECT_ERR(m.OnRetireConnectionId(1, c0), OK, "a repeated retirement is not an error");
        NS_TEST_EXPECT_MSG_EQ(m.HasFramesToSend(), false, "and brings no second replacement");
        NS_TEST_EXPECT_MSG_EQ(m.GetNextLocalSequenceNumber(), 4, "nothing new issued");

        EXPECT_ERR(m.OnRetireConnectionId(0, c2), OK, "the handshake CID can be retired (FR-08)");
        NS_TEST_EXPECT_MSG_EQ(m.IsActive(c0), false, "seq 0 retired");
        NS_TEST_EXPECT_MSG_EQ(m.GetActiveLocalCount(), 3, "replaced again");
        NS_TEST_EXPECT_MSG_EQ(ep.m_routes.size(), 3, "routes follow");
        NS_TEST_EXPECT_MSG_EQ(ep.m_badUnregister, 0, "no spurious unregister");
    }
};

/**
 * \ingroup quic-migration-tests
 * \brief CID-03, CID-05: sequence 0 is the handshake CID, sequence 1 the preferred_address
 * CID; both sides.
 */
class QuicCidHandshakeSequenceTestCase : public TestCase
{
  public:
    QuicCidHandshakeSequenceTestCase()
        : TestCase("CID-03, CID-05 seq 0 = handshake SCID, seq 1 = preferred_address CID, "
                   "NEW_CONNECTION_ID from seq 2")
    {
    }

  private:
    void DoRun() override
    {
        FakeEndpoint ep;
        QuicCidManager server;
        ep.Attach(server);
        QuicConnectionId pa;
        QuicResetToken paToken;
        NS_TEST_EXPECT_MSG_EQ(server.IssuePreferredAddressCid(pa, paToken),
                              false,
                              "not before seq 0");
        QuicConnectionId c0 = ep.Next();
        server.SetInitialLocalCid(c0);
        NS_TEST_EXPECT_MSG_EQ(server.SetInitialLocalCid(ep.Next()), false, "seq 0 only once");
        NS_TEST_ASSERT_MSG_EQ(server.IssuePreferredAddressCid(pa, paToken), true, "seq 1");
        NS_TEST_EXPECT_MSG_EQ(server.IssuePreferredAddressCid(pa, paToken), false, "only once");
        NS_TEST_EXPECT_MSG_EQ(*server.GetLocalSequenceNumber(c0), 0, "handshake CID is seq 0");
        NS_TEST_EXPECT_MSG_EQ(*server.GetLocalSequenceNumber(pa), 1, "PA CID is seq 1");
        NS_TEST_EXPECT_MSG_EQ(Hex(paToken),
                              Hex(QuicStatelessResetToken(ep.m_key, pa)),
                              "PA token from the static key");
        NS_TEST_EXPECT_MSG_EQ(ep.m_routes.count(pa), 1, "PA CID routed at once (CID-05)");
        server.SetPeerActiveConnectionIdLimit(4);
        auto frames = Drain(server);
        NS_TEST_EXPECT_MSG_EQ(Join(SeqsOf(frames, QuicFrameType::NEW_CONNECTION_ID)),
                              "2,3",
                              "NEW_CONNECTION_ID continues at seq 2");
        EXPECT_ERR(server.OnRetireConnectionId(1, c0), OK, "seq 1 was sent (in the TP)");

        // Client side: the server's SCID is peer seq 0, the PA CID peer seq 1.
        QuicCidManager client;
        client.SetLocalActiveConnectionIdLimit(4);
        QuicConnectionId s0 = MakeCid(900);
        client.SetInitialPeerCid(s0, 0);
        EXPECT_ERR(client.SetInitialPeerResetToken(MakeToken(1)), OK, "TP token for seq 0");
        EXPECT_ERR(client.AddPreferredAddressPeerCid(pa, paToken), OK, "PA CID as seq 1");
        NS_TEST_EXPECT_MSG_EQ((client.GetPeerCidState(1) == QuicPeerCidState::UNUSED),
                              true,
                              "seq 1 unused");
        auto used = client.UseUnusedCid(7);
        NS_TEST_EXPECT_MSG_EQ((used && *used == pa), true, "the migrating path gets the PA CID");
        EXPECT_ERR(client.OnNewConnectionId(2, 0, MakeCid(901), MakeToken(2)), OK, "seq 2");
        NS_TEST_EXPECT_MSG_EQ(*client.GetCidForPath(0), s0, "path 0 keeps seq 0");
    }
};

/**
 * \ingroup quic-migration-tests
 * \brief CID-11, CID-14, CID-07, FR-05: raising Retire Prior To on the issuer.
 */
class QuicCidIssuerRetirePriorToTestCase : public TestCase
{
  public:
    QuicCidIssuerRetirePriorToTestCase()
        : TestCase("CID-11, CID-14, CID-07, FR-05 issuer raises Retire Prior To: old CIDs accepted "
                   "until retired, no second raise before that, repeats keep RPT <= seq")
    {
    }

  private:
    void DoRun() override
    {
        FakeEndpoint ep;
        QuicCidManager m;
        ep.Attach(m);
        m.SetInitialLocalCid(ep.Next());
        NS_TEST_EXPECT_MSG_EQ(m.RaiseRetirePriorTo(1), false, "not before the peer's limit");
        m.SetPeerActiveConnectionIdLimit(4);
        std::vector<QuicCidFrameRecord> recs;
        auto frames = Drain(m, &recs);
        AckAll(m, recs);
        std::vector<QuicConnectionId> cid = m.GetActiveLocalCids(); // seq 0..3
        NS_TEST_ASSERT_MSG_EQ(cid.size(), 4, "seq 0..3");

        NS_TEST_EXPECT_MSG_EQ(m.RaiseRetirePriorTo(5), false, "above the next seq (4)");
        NS_TEST_EXPECT_MSG_EQ(m.RaiseRetirePriorTo(0), false, "not an increase");
        NS_TEST_ASSERT_MSG_EQ(m.RaiseRetirePriorTo(2), true, "raise to 2");
        recs.clear();
        frames = Drain(m, &recs);
        AckAll(m, recs);
        NS_TEST_EXPECT_MSG_EQ(Join(SeqsOf(frames, QuicFrameType::NEW_CONNECTION_ID)),
                              "4,5",
                              "two new CIDs carry the value");
        for (const auto& f : frames)
        {
            NS_TEST_EXPECT_MSG_EQ(f.m_retirePriorTo, 2, "RPT carried");
        }
        // CID-07 with the overshoot: 6 un-retired, but 4 at or above RPT.
        NS_TEST_EXPECT_MSG_EQ(m.GetActiveLocalCount(), 6, "0..5 un-retired");
        NS_TEST_EXPECT_MSG_EQ(m.IsActive(cid[0]), true, "seq 0 still accepted (CID-11)");
        NS_TEST_EXPECT_MSG_EQ(m.IsActive(cid[1]), true, "seq 1 still accepted (CID-11)");
        NS_TEST_EXPECT_MSG_EQ(ep.m_routes.count(cid[0]), 1, "and still routed");

        NS_TEST_EXPECT_MSG_EQ(m.RaiseRetirePriorTo(4), false, "0 and 1 not retired (CID-14)");
        EXPECT_ERR(m.OnRetireConnectionId(0, cid[3]), OK, "peer retires 0");
        NS_TEST_EXPECT_MSG_EQ(m.HasFramesToSend(), false, "no replacement: 4 held at/above RPT");
        NS_TEST_EXPECT_MSG_EQ(m.RaiseRetirePriorTo(4), false, "1 not retired (CID-14)");
        EXPECT_ERR(m.OnRetireConnectionId(1, cid[3]), OK, "peer retires 1");
        NS_TEST_EXPECT_MSG_EQ(ep.m_routes.count(cid[1]), 0, "seq 1 unrouted only now");
        NS_TEST_ASSERT_MSG_EQ(m.RaiseRetirePriorTo(4), true, "raise to 4");
        recs.clear();
        frames = Drain(m, &recs);
        NS_TEST_ASSERT_MSG_EQ(frames.size(), 2, "seq 6, 7");
        NS_TEST_ASSERT_MSG_EQ(recs.size(), 2, "two records");
        m.OnFrameLost(recs[0]); // seq 6 lost
        m.OnFrameAcked(recs[1]);
        EXPECT_ERR(m.OnRetireConnectionId(2, cid[3]), OK, "peer retires 2");
        EXPECT_ERR(m.OnRetireConnectionId(3, frames[1].m_connectionId), OK, "peer retires 3");
        NS_TEST_ASSERT_MSG_EQ(m.RaiseRetirePriorTo(7), true, "raise to 7 (seq 6 is out there)");
        recs.clear();
        frames = Drain(m, &recs);
        AckAll(m, recs);
        NS_TEST_ASSERT_MSG_GT_OR_EQ(frames.size(), 1, "frames");
        NS_TEST_EXPECT_MSG_EQ(frames[0].m_sequenceNumber, 6, "seq 6 resent first");
        NS_TEST_EXPECT_MSG_EQ(frames[0].m_retirePriorTo, 6, "its RPT is min(7, 6) (FR-05)");
        for (size_t i = 1; i < frames.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(frames[i].m_retirePriorTo, 7, "new CIDs carry 7");
            NS_TEST_EXPECT_MSG_GT_OR_EQ(frames[i].m_sequenceNumber, 8, "new seqs");
        }
        uint64_t heldAtOrAbove = 0;
        for (uint64_t s = 7; s < m.GetNextLocalSequenceNumber(); ++s)
        {
            heldAtOrAbove += m.GetLocalResetToken(s).has_value() ? 1 : 0;
        }
        NS_TEST_EXPECT_MSG_EQ(heldAtOrAbove, 4, "4 at or above RPT (CID-07)");

        // A CID below the new value that never left the endpoint is simply dropped.
        FakeEndpoint ep2(9);
        QuicCidManager n;
        ep2.Attach(n);
        n.SetInitialLocalCid(ep2.Next());
        n.SetPeerActiveConnectionIdLimit(2); // seq 1 issued, not sent
        QuicConnectionId unsent = n.GetActiveLocalCids().back();
        NS_TEST_ASSERT_MSG_EQ(n.RaiseRetirePriorTo(2), true, "retire everything");
        NS_TEST_EXPECT_MSG_EQ(n.IsActive(unsent), false, "the unsent seq 1 is dropped");
        NS_TEST_EXPECT_MSG_EQ(ep2.m_routes.count(unsent), 0, "and unrouted");
        frames = Drain(n);
        NS_TEST_EXPECT_MSG_EQ(Join(SeqsOf(frames, QuicFrameType::NEW_CONNECTION_ID)),
                              "2,3",
                              "only the new CIDs go out");
    }
};

/**
 * \ingroup quic-migration-tests
 * \brief FR-04, §13.3: lost NEW_/RETIRE_CONNECTION_ID frames are sent again with the same
 * sequence number and values; acknowledged ones are not; late losses after an ACK are ignored.
 */
class QuicCidFrameRecoveryTestCase : public TestCase
{
  public:
    QuicCidFrameRecoveryTestCase()
        : TestCase("FR-04, §13.3 lost NEW_ and RETIRE_CONNECTION_ID resent with the same sequence "
                   "number; acknowledged ones are not")
    {
    }

  private:
    void DoRun() override
    {
        FakeEndpoint ep;
        QuicCidManager m;
        ep.Attach(m);
        m.SetInitialLocalCid(ep.Next());
        m.SetPeerActiveConnectionIdLimit(3);
        std::vector<QuicCidFrameRecord> recs;
        auto first = Drain(m, &recs);
        NS_TEST_ASSERT_MSG_EQ(first.size(), 2, "seq 1, 2");
        NS_TEST_ASSERT_MSG_EQ(recs.size(), 2, "records");
        NS_TEST_EXPECT_MSG_EQ((recs[0] == QuicCidFrameRecord{QuicFrameType::NEW_CONNECTION_ID, 1}),
                              true,
                              "record of seq 1");
        m.OnFrameLost(recs[0]);
        m.OnFrameAcked(recs[1]);
        m.OnFrameLost(recs[1]); // late loss after the ACK: ignored
        std::vector<QuicCidFrameRecord> recs2;
        auto again = Drain(m, &recs2);
        NS_TEST_ASSERT_MSG_EQ(again.size(), 1, "only seq 1 again");
        NS_TEST_EXPECT_MSG_EQ(again[0].m_sequenceNumber, 1, "same sequence number");
        NS_TEST_EXPECT_MSG_EQ(again[0].m_connectionId, first[0].m_connectionId, "same CID");
        NS_TEST_EXPECT_MSG_EQ(Hex(TokenOf(again[0])), Hex(TokenOf(first[0])), "same token");
        // The first copy is acknowledged after all (spurious loss): the queued repeat is dropped.
        m.OnFrameLost(recs2[0]);
        m.OnFrameAcked(recs[0]);
        NS_TEST_EXPECT_MSG_EQ(m.HasFramesToSend(), false, "acknowledged: nothing to resend");

        // RETIRE_CONNECTION_ID.
        QuicCidManager p;
        InitPeerSide(p, 4, MakeCid(500));
        EXPECT_ERR(p.OnNewConnectionId(1, 1, MakeCid(501), MakeToken(501)), OK, "retire 0");
        std::vector<QuicCidFrameRecord> r;
        auto rc = Drain(p, &r);
        NS_TEST_ASSERT_MSG_EQ(rc.size(), 1, "RETIRE_CONNECTION_ID 0");
        NS_TEST_EXPECT_MSG_EQ((rc[0].m_type == QuicFrameType::RETIRE_CONNECTION_ID), true, "type");
        NS_TEST_EXPECT_MSG_EQ(rc[0].m_sequenceNumber, 0, "seq 0");
        NS_TEST_ASSERT_MSG_EQ(r.size(), 1, "record");
        p.OnFrameLost(r[0]);
        std::vector<QuicCidFrameRecord> r2;
        auto rc2 = Drain(p, &r2);
        NS_TEST_ASSERT_MSG_EQ(rc2.size(), 1, "resent");
        NS_TEST_EXPECT_MSG_EQ(rc2[0].m_sequenceNumber, 0, "same seq");
        NS_TEST_EXPECT_MSG_EQ(p.GetRetireBacklog(), 1, "tracked until acknowledged");
        AckAll(p, r2);
        NS_TEST_EXPECT_MSG_EQ(p.GetRetireBacklog(), 0, "acknowledged: forgotten");
        p.OnFrameLost(r[0]);
        NS_TEST_EXPECT_MSG_EQ(p.HasFramesToSend(), false, "late loss after the ACK: ignored");
        NS_TEST_EXPECT_MSG_EQ((p.GetPeerCidState(0) == QuicPeerCidState::RETIRED),
                              true,
                              "still known as retired");
    }
};

// =============================================================================================
// Receiving side
// =============================================================================================

/**
 * \ingroup quic-migration-tests
 * \brief CID-08: more active peer CIDs than our limit after applying a NEW_CONNECTION_ID is a
 * CONNECTION_ID_LIMIT_ERROR; a Retire Prior To that retires the surplus makes it legal.
 */
class QuicCidPeerLimitTestCase : public TestCase
{
  public:
    /// \param limit our active_connection_id_limit
    explicit QuicCidPeerLimitTestCase(uint64_t limit)
        : TestCase("CID-08 over-issuing peer (our limit " + std::to_string(limit) +
                   ") -> CONNECTION_ID_LIMIT_ERROR; the RPT overshoot is accepted"),
          m_limit(limit)
    {
    }

  private:
    void DoRun() override
    {
        QuicCidManager m;
        InitPeerSide(m, m_limit, MakeCid(0));
        for (uint64_t s = 1; s < m_limit; ++s)
        {
            EXPECT_ERR(m.OnNewConnectionId(s, 0, MakeCid(s), MakeToken(s)), OK, "within limit");
        }
        NS_TEST_EXPECT_MSG_EQ(m.GetActivePeerCount(), m_limit, "at the limit");
        EXPECT_ERR(m.OnNewConnectionId(m_limit, 0, MakeCid(m_limit), MakeToken(m_limit)),
                   LIMIT,
                   "limit + 1 active (CID-08)");

        QuicCidManager n;
        InitPeerSide(n, m_limit, MakeCid(0));
        for (uint64_t s = 1; s < m_limit; ++s)
        {
            n.OnNewConnectionId(s, 0, MakeCid(s), MakeToken(s));
        }
        EXPECT_ERR(n.OnNewConnectionId(m_limit, 1, MakeCid(m_limit), MakeToken(m_limit)),
                   OK,
                   "RPT retires the surplus in the same frame");
        NS_TEST_EXPECT_MSG_EQ(n.GetActivePeerCount(), m_limit, "still at the limit");
        NS_TEST_EXPECT_MSG_EQ(n.GetCidForPath(0).has_value(), true, "path 0 moved on");
        NS_TEST_EXPECT_MSG_NE(*n.GetCidForPath(0), MakeCid(0), "to another CID");
    }

    uint64_t m_limit; //!< our limit
};

/**
 * \ingroup quic-migration-tests
 * \brief CID-12: a larger Retire Prior To retires every lower sequence number, queues one
 * RETIRE_CONNECTION_ID each, moves the paths to CIDs never used, and the retired CIDs are
 * never used again.
 */
class QuicCidPeerRetirePriorToTestCase : public TestCase
{
  public:
    QuicCidPeerRetirePriorToTestCase()
        : TestCase("CID-12, SR-03 increased RPT: every lower seq retired with one "
                   "RETIRE_CONNECTION_ID each, never used again; paths move to fresh CIDs")
    {
    }

  private:
    void DoRun() override
    {
        QuicCidManager m;
        InitPeerSide(m, 8, MakeCid(0));
        std::vector<std::tuple<uint64_t, QuicConnectionId, uint32_t>> retired;
        m.SetPeerCidRetiredCallback([&retired](uint64_t s, const QuicConnectionId& c, uint32_t p) {
            retired.emplace_back(s, c, p);
        });
        for (uint64_t s = 1; s <= 3; ++s)
        {
            m.OnNewConnectionId(s, 0, MakeCid(s), MakeToken(s));
        }
        auto p1 = m.UseUnusedCid(1);
        NS_TEST_EXPECT_MSG_EQ((p1 && *p1 == MakeCid(1)), true, "path 1 on seq 1");
        EXPECT_ERR(m.OnNewConnectionId(4, 3, MakeCid(4), MakeToken(4)), OK, "RPT 3");
        std::vector<QuicCidFrameRecord> recs;
        auto frames = Drain(m, &recs);
        NS_TEST_EXPECT_MSG_EQ(Join(SeqsOf(frames, QuicFrameType::RETIRE_CONNECTION_ID)),
                              "0,1,2",
                              "one RETIRE_CONNECTION_ID per retired seq (CID-12)");
        NS_TEST_EXPECT_MSG_EQ(retired.size(), 3, "three retirements reported");
        if (retired.size() == 3)
        {
            NS_TEST_EXPECT_MSG_EQ(std::get<2>(retired[0]), 0, "seq 0 was path 0's");
            NS_TEST_EXPECT_MSG_EQ(std::get<2>(retired[1]), 1, "seq 1 was path 1's");
            NS_TEST_EXPECT_MSG_EQ(std::get<2>(retired[2]), QuicCidManager::NO_PATH, "unused");
        }
        for (uint64_t s = 0; s < 3; ++s)
        {
            NS_TEST_EXPECT_MSG_EQ((m.GetPeerCidState(s) == QuicPeerCidState::RETIRED),
                                  true,
                                  "seq below RPT retired");
        }
        NS_TEST_EXPECT_MSG_EQ(*m.GetSequenceNumberForPath(0), 3, "path 0 moved to seq 3");
        NS_TEST_EXPECT_MSG_EQ(*m.GetSequenceNumberForPath(1), 4, "path 1 moved to seq 4");
        NS_TEST_EXPECT_MSG_EQ(m.GetUnusedCount(), 0, "no unused left");
        NS_TEST_EXPECT_MSG_EQ(m.UseUnusedCid(2).has_value(), false, "retired CIDs never reused");
        // Their tokens no longer match (SR-03).
        uint8_t dgram[40] = {0x45};
        QuicResetToken t1 = MakeToken(1);
        std::memcpy(dgram + 24, t1.data(), 16);
        NS_TEST_EXPECT_MSG_EQ(m.IsStatelessReset(dgram, sizeof(dgram)), false, "token void");
        AckAll(m, recs);
        NS_TEST_EXPECT_MSG_EQ(m.GetRetireBacklog(), 0, "acknowledged");
        // More CIDs arrive: none of the retired ones ever comes back.
        for (uint64_t s = 5; s <= 7; ++s)
        {
            m.OnNewConnectionId(s, 3, MakeCid(s), MakeToken(s));
        }
        for (uint32_t path = 2; path < 5; ++path)
        {
            auto c = m.UseUnusedCid(path);
            NS_TEST_EXPECT_MSG_EQ(c.has_value(), true, "fresh CID");
            if (c)
            {
                for (uint64_t s = 0; s < 3; ++s)
                {
                    NS_TEST_EXPECT_MSG_NE(*c, MakeCid(s), "not a retired CID");
                }
            }
        }
    }
};

/**
 * \ingroup quic-migration-tests
 * \brief FR-07, FR-06: a NEW_CONNECTION_ID below the largest Retire Prior To is retired at
 * once (and only once); Retire Prior To values that do not increase are ignored.
 */
class QuicCidReorderedRetirePriorToTestCase : public TestCase
{
  public:
    QuicCidReorderedRetirePriorToTestCase()
        : TestCase("FR-07, FR-06 reordered NCID below RPT -> immediate RETIRE (once); "
                   "RPT not above the largest -> ignored")
    {
    }

  private:
    void DoRun() override
    {
        QuicCidManager m;
        InitPeerSide(m, 4, MakeCid(0));
        EXPECT_ERR(m.OnNewConnectionId(5, 3, MakeCid(5), MakeToken(5)), OK, "NCID(5, RPT 3)");
        std::vector<QuicCidFrameRecord> recs;
        NS_TEST_EXPECT_MSG_EQ(Join(SeqsOf(Drain(m, &recs), QuicFrameType::RETIRE_CONNECTION_ID)),
                              "0",
                              "seq 0 retired");
        EXPECT_ERR(m.OnNewConnectionId(1, 0, MakeCid(1), MakeToken(1)), OK, "late NCID(1)");
        NS_TEST_EXPECT_MSG_EQ((m.GetPeerCidState(1) == QuicPeerCidState::RETIRED),
                              true,
                              "retired on arrival (FR-07)");
        NS_TEST_EXPECT_MSG_EQ(m.GetUnusedCount(), 0, "not usable");
        std::vector<QuicCidFrameRecord> r1;
        NS_TEST_EXPECT_MSG_EQ(Join(SeqsOf(Drain(m, &r1), QuicFrameType::RETIRE_CONNECTION_ID)),
                              "1",
                              "RETIRE_CONNECTION_ID 1 (FR-07)");
        EXPECT_ERR(m.OnNewConnectionId(1, 0, MakeCid(1), MakeToken(1)), OK, "repeat, tracked");
        NS_TEST_EXPECT_MSG_EQ(m.HasFramesToSend(), false, "no second RETIRE (tracked)");
        AckAll(m, r1);
        EXPECT_ERR(m.OnNewConnectionId(1, 0, MakeCid(1), MakeToken(1)), OK, "repeat, forgotten");
        NS_TEST_EXPECT_MSG_EQ(m.HasFramesToSend(), false, "no second RETIRE (remembered)");
        NS_TEST_EXPECT_MSG_EQ(m.GetUnusedCount(), 0, "still not usable");
        EXPECT_ERR(m.OnNewConnectionId(4, 0, MakeCid(4), MakeToken(4)), OK, "late NCID(4)");
        NS_TEST_EXPECT_MSG_EQ(m.GetUnusedCount(), 1, "4 >= RPT joins");

        // FR-06.
        QuicCidManager n;
        InitPeerSide(n, 8, MakeCid(0));
        for (uint64_t s = 1; s <= 4; ++s)
        {
            n.OnNewConnectionId(s, 0, MakeCid(s), MakeToken(s));
        }
        EXPECT_ERR(n.OnNewConnectionId(5, 2, MakeCid(5), MakeToken(5)), OK, "RPT 2");
        Drain(n);
        EXPECT_ERR(n.OnNewConnectionId(6, 1, MakeCid(6), MakeToken(6)), OK, "RPT 1: lower");
        EXPECT_ERR(n.OnNewConnectionId(7, 2, MakeCid(7), MakeToken(7)), OK, "RPT 2: equal");
        NS_TEST_EXPECT_MSG_EQ(n.GetLargestPeerRetirePriorTo(), 2, "largest RPT unchanged");
        NS_TEST_EXPECT_MSG_EQ(n.HasFramesToSend(), false, "nothing more retired (FR-06)");
        NS_TEST_EXPECT_MSG_EQ(n.GetActivePeerCount(), 6, "seq 2..7 active");
    }
};

/**
 * \ingroup quic-migration-tests
 * \brief FR-04, SR-12, FR-02, FR-05: repeated and conflicting NEW_CONNECTION_ID frames.
 */
class QuicCidDuplicateTestCase : public TestCase
{
  public:
    QuicCidDuplicateTestCase()
        : TestCase("FR-04, SR-12 identical NCID ignored; same seq other CID or token, same CID "
                   "other seq, repeated token -> PROTOCOL_VIOLATION")
    {
    }

  private:
    void DoRun() override
    {
        QuicCidManager m;
        InitPeerSide(m, 8, MakeCid(0));
        EXPECT_ERR(m.OnNewConnectionId(1, 0, MakeCid(1), MakeToken(1)), OK, "seq 1");
        EXPECT_ERR(m.OnNewConnectionId(1, 0, MakeCid(1), MakeToken(1)), OK, "identical repeat");
        NS_TEST_EXPECT_MSG_EQ(m.GetActivePeerCount(), 2, "a single entry (FR-04)");
        QuicFrame f = QuicFrame::NewConnectionId(1, 0, MakeCid(1), MakeToken(1).data());
        EXPECT_ERR(m.OnNewConnectionId(f), OK, "the frame overload, identical");

        QuicCidManager a;
        InitPeerSide(a, 8, MakeCid(0));
        a.OnNewConnectionId(1, 0, MakeCid(1), MakeToken(1));
        EXPECT_ERR(a.OnNewConnectionId(1, 0, MakeCid(2), MakeToken(1)), PV, "seq 1, other CID");
        QuicCidManager b;
        InitPeerSide(b, 8, MakeCid(0));
        b.OnNewConnectionId(1, 0, MakeCid(1), MakeToken(1));
        EXPECT_ERR(b.OnNewConnectionId(1, 0, MakeCid(1), MakeToken(2)), PV, "seq 1, other token");
        QuicCidManager c;
        InitPeerSide(c, 8, MakeCid(0));
        c.OnNewConnectionId(1, 0, MakeCid(1), MakeToken(1));
        EXPECT_ERR(c.OnNewConnectionId(2, 0, MakeCid(1), MakeToken(2)), PV, "CID 1 as seq 2");
        QuicCidManager d;
        InitPeerSide(d, 8, MakeCid(0));
        d.OnNewConnectionId(1, 0, MakeCid(1), MakeToken(1));
        EXPECT_ERR(d.OnNewConnectionId(2, 0, MakeCid(2), MakeToken(1)), PV, "token 1 again");
        QuicCidManager e;
        InitPeerSide(e, 8, MakeCid(0));
        EXPECT_ERR(e.OnNewConnectionId(1, 0, MakeCid(0), MakeToken(1)), PV, "seq 0's CID again");
        QuicCidManager g;
        InitPeerSide(g, 8, MakeCid(0));
        EXPECT_ERR(g.SetInitialPeerResetToken(MakeToken(9)), OK, "seq 0 token");
        EXPECT_ERR(g.OnNewConnectionId(1, 0, MakeCid(1), MakeToken(9)), PV, "seq 0's token");
        // A conflict with a retired CID that is still tracked is caught too.
        QuicCidManager h;
        InitPeerSide(h, 8, MakeCid(0));
        h.OnNewConnectionId(1, 1, MakeCid(1), MakeToken(1)); // retires seq 0
        EXPECT_ERR(h.OnNewConnectionId(2, 1, MakeCid(0), MakeToken(2)), PV, "retired CID again");
        // The decoder's checks, repeated defensively.
        QuicCidManager k;
        InitPeerSide(k, 8, MakeCid(0));
        EXPECT_ERR(k.OnNewConnectionId(1, 0, QuicConnectionId(), MakeToken(1)),
                   QuicTransportError::FRAME_ENCODING_ERROR,
                   "empty CID (FR-02)");
        EXPECT_ERR(k.OnNewConnectionId(3, 4, MakeCid(3), MakeToken(3)),
                   QuicTransportError::FRAME_ENCODING_ERROR,
                   "RPT > seq (FR-05)");
        NS_TEST_EXPECT_MSG_EQ(k.GetActivePeerCount(), 1, "nothing applied");
    }
};

/**
 * \ingroup quic-migration-tests
 * \brief CID-13: the retired-but-unacknowledged backlog holds 2 x our limit, more is a
 * CONNECTION_ID_LIMIT_ERROR, and no CID is forgotten before its RETIRE is acknowledged.
 */
class QuicCidRetireBacklogTestCase : public TestCase
{
  public:
    /// \param limit our active_connection_id_limit
    explicit QuicCidRetireBacklogTestCase(uint64_t limit)
        : TestCase("CID-13 retirement backlog with our limit " + std::to_string(limit) +
                   ": holds 2 x limit unacknowledged RETIREs, overflow -> "
                   "CONNECTION_ID_LIMIT_ERROR, nothing forgotten unretired"),
          m_limit(limit)
    {
    }

  private:
    void DoRun() override
    {
        QuicCidManager m;
        InitPeerSide(m, m_limit, MakeCid(0));
        const uint64_t bound = 2 * m_limit;
        NS_TEST_EXPECT_MSG_EQ(m.GetRetireBacklogLimit(), bound, "bound = 2 x limit");
        std::set<uint64_t> retireSent;
        // Each NCID(k, RPT k) retires k - 1; the RETIREs are sent but never acknowledged.
        for (uint64_t k = 1; k <= bound; ++k)
        {
            EXPECT_ERR(m.OnNewConnectionId(k, k, MakeCid(k), MakeToken(k)), OK, "within bound");
            for (auto s : SeqsOf(Drain(m), QuicFrameType::RETIRE_CONNECTION_ID))
            {
                retireSent.insert(s);
            }
        }
        NS_TEST_EXPECT_MSG_EQ(m.GetRetireBacklog(), bound, "2 x limit tracked");
        EXPECT_ERR(m.OnNewConnectionId(bound + 1, bound + 1, MakeCid(99), MakeToken(99)),
                   LIMIT,
                   "overflow (CID-13)");
        for (uint64_t s = 0; s < bound; ++s)
        {
            NS_TEST_EXPECT_MSG_EQ(retireSent.count(s), 1, "every retired seq had its RETIRE");
        }

        // With acknowledgements the backlog stays small over a long run.
        QuicCidManager n;
        InitPeerSide(n, m_limit, MakeCid(0));
        uint64_t maxBacklog = 0;
        for (uint64_t k = 1; k <= 200; ++k)
        {
            EXPECT_ERR(n.OnNewConnectionId(k, k, MakeCid(k), MakeToken(k)), OK, "rotating peer");
            maxBacklog = std::max<uint64_t>(maxBacklog, n.GetRetireBacklog());
            std::vector<QuicCidFrameRecord> recs;
            Drain(n, &recs);
            AckAll(n, recs);
        }
        NS_TEST_EXPECT_MSG_EQ(maxBacklog, 1, "one at a time");
        NS_TEST_EXPECT_MSG_EQ(n.GetRetireBacklog(), 0, "all acknowledged");

        // Our own retirements (rotation, released paths) are bounded by refusing new paths
        // and rotations while the backlog is full; they never make the peer's frames fail.
        QuicCidManager own;
        InitPeerSide(own, m_limit, MakeCid(0));
        uint64_t seq = 1;
        uint64_t rotations = 0;
        for (int i = 0; i < 4 * static_cast<int>(bound); ++i)
        {
            if (own.GetActivePeerCount() < m_limit)
            {
                EXPECT_ERR(own.OnNewConnectionId(seq, 0, MakeCid(seq), MakeToken(seq)),
                           OK,
                           "peer replaces what we retire");
                ++seq;
            }
            if (own.RotateCid(0))
            {
                ++rotations;
            }
            Drain(own); // sent, never acknowledged
        }
        NS_TEST_EXPECT_MSG_EQ(rotations, bound, "rotations stop at the bound");
        NS_TEST_EXPECT_MSG_EQ(own.GetRetireBacklog(), bound, "backlog at the bound");
        NS_TEST_EXPECT_MSG_EQ(own.UseUnusedCid(1).has_value(), false, "no new path while full");
        NS_TEST_EXPECT_MSG_EQ(own.ReleasePath(0), true, "a release is never refused");
        NS_TEST_EXPECT_MSG_EQ(own.GetRetireBacklog(), bound + 1, "and is tracked");
        EXPECT_ERR(own.OnNewConnectionId(seq, 0, MakeCid(seq), MakeToken(seq)),
                   OK,
                   "our own retirements are not the peer's fault");
        Drain(own); // the released path's RETIRE
        std::vector<QuicCidFrameRecord> recs;
        own.OnFrameLost({QuicFrameType::RETIRE_CONNECTION_ID, 0});
        Drain(own, &recs);
        NS_TEST_EXPECT_MSG_EQ(recs.size(), 1, "the lost RETIRE 0 again");
        for (uint64_t s = 0; s <= bound; ++s)
        {
            own.OnFrameAcked({QuicFrameType::RETIRE_CONNECTION_ID, s});
        }
        NS_TEST_EXPECT_MSG_EQ(own.GetRetireBacklog(), 0, "acknowledged");
        NS_TEST_EXPECT_MSG_EQ(own.UseUnusedCid(1).has_value(), true, "new paths again");

        QuicCidManager o;
        o.SetLocalActiveConnectionIdLimit(m_limit);
        o.SetRetireBacklogLimit(10);
        NS_TEST_EXPECT_MSG_EQ(o.GetRetireBacklogLimit(),
                              std::max<uint64_t>(10, bound),
                              "configured bound, never below 2 x limit");
    }

    uint64_t m_limit; //!< our limit
};

/**
 * \ingroup quic-migration-tests
 * \brief FR-03: zero-length connection IDs on either side.
 */
class QuicCidZeroLengthTestCase : public TestCase
{
  public:
    QuicCidZeroLengthTestCase()
        : TestCase("FR-03 zero-length CIDs: NCID to a zero-length-DCID sender and RCID to a "
                   "zero-length issuer -> PROTOCOL_VIOLATION; nothing issued")
    {
    }

  private:
    void DoRun() override
    {
        // We issued a zero-length CID.
        FakeEndpoint ep;
        QuicCidManager m;
        ep.Attach(m);
        NS_TEST_ASSERT_MSG_EQ(m.SetInitialLocalCid(QuicConnectionId()), true, "empty seq 0");
        m.SetPeerActiveConnectionIdLimit(8);
        NS_TEST_EXPECT_MSG_EQ(m.HasFramesToSend(), false, "no NEW_CONNECTION_ID (FR-03)");
        NS_TEST_EXPECT_MSG_EQ(m.GetNextLocalSequenceNumber(), 1, "nothing issued");
        NS_TEST_EXPECT_MSG_EQ(ep.m_routes.size(), 0, "nothing routed by CID");
        EXPECT_ERR(m.OnRetireConnectionId(0, QuicConnectionId()), PV, "RCID (FR-03)");
        NS_TEST_EXPECT_MSG_EQ(m.RaiseRetirePriorTo(1), false, "no RPT either");
        NS_TEST_EXPECT_MSG_EQ(m.GetLocalResetToken(0).has_value(), false, "no token (SR-12)");

        // The peer asked for a zero-length DCID.
        QuicCidManager p;
        InitPeerSide(p, 4, QuicConnectionId());
        EXPECT_ERR(p.OnNewConnectionId(1, 0, MakeCid(1), MakeToken(1)), PV, "NCID (FR-03)");
        NS_TEST_EXPECT_MSG_EQ(p.GetCidForPath(0).has_value(), true, "path 0 sends");
        NS_TEST_EXPECT_MSG_EQ(p.GetCidForPath(0)->IsEmpty(), true, "with the empty CID");
        auto c = p.UseUnusedCid(1);
        NS_TEST_EXPECT_MSG_EQ((c && c->IsEmpty()), true, "a new path also uses the empty CID");
        NS_TEST_EXPECT_MSG_EQ(p.RotateCid(0).has_value(), false, "nothing to rotate to");
        NS_TEST_EXPECT_MSG_EQ(p.ReleasePath(1), false, "nothing to retire");
        NS_TEST_EXPECT_MSG_EQ(p.HasFramesToSend(), false, "never a RETIRE_CONNECTION_ID");
        NS_TEST_EXPECT_MSG_EQ(p.GetUnusedCount(), 0, "no spare CIDs");
    }
};

/**
 * \ingroup quic-migration-tests
 * \brief PRIV-01, PRIV-02, PRIV-03, CID-10, NAT-03: a CID used on one path is never handed to
 * another; rotation gives a never-used CID and retires the old; released paths retire theirs.
 */
class QuicCidPathPrivacyTestCase : public TestCase
{
  public:
    QuicCidPathPrivacyTestCase()
        : TestCase("PRIV-01, PRIV-02, PRIV-03, CID-10, NAT-03 CIDs per path: never shared, "
                   "rotation to a "
                   "never-used CID, release retires; randomized")
    {
    }

  private:
    void DoRun() override
    {
        QuicCidManager m;
        InitPeerSide(m, 4, MakeCid(0));
        for (uint64_t s = 1; s <= 3; ++s)
        {
            m.OnNewConnectionId(s, 0, MakeCid(s), MakeToken(s));
        }
        NS_TEST_EXPECT_MSG_EQ(m.GetUnusedCount(), 3, "three spare");
        auto c1 = m.UseUnusedCid(1);
        NS_TEST_EXPECT_MSG_EQ((c1 && *c1 == MakeCid(1)), true, "path 1 gets seq 1");
        NS_TEST_EXPECT_MSG_EQ(m.UseUnusedCid(1).has_value(), false, "path 1 already has one");
        NS_TEST_EXPECT_MSG_EQ(*m.GetCidForPath(1), MakeCid(1), "kept (NAT-03)");
        NS_TEST_EXPECT_MSG_EQ(m.GetUnusedCount(), 2, "two spare");
        NS_TEST_EXPECT_MSG_EQ(m.ReleasePath(1), true, "path 1 released (CID-10)");
        NS_TEST_EXPECT_MSG_EQ(m.GetCidForPath(1).has_value(), false, "path 1 has none");
        NS_TEST_EXPECT_MSG_EQ(Join(SeqsOf(Drain(m), QuicFrameType::RETIRE_CONNECTION_ID)),
                              "1",
                              "its CID retired");
        auto r0 = m.RotateCid(0);
        NS_TEST_EXPECT_MSG_EQ((r0 && *r0 == MakeCid(2)), true, "rotation: a never-used CID");
        NS_TEST_EXPECT_MSG_EQ((m.GetPeerCidState(0) == QuicPeerCidState::RETIRED),
                              true,
                              "old one retired (PRIV-01)");
        auto c2 = m.UseUnusedCid(2);
        NS_TEST_EXPECT_MSG_EQ((c2 && *c2 == MakeCid(3)), true, "path 2 gets seq 3");
        NS_TEST_EXPECT_MSG_EQ(m.UseUnusedCid(3).has_value(), false, "no spare left");
        NS_TEST_EXPECT_MSG_EQ(m.RotateCid(2).has_value(), false, "no rotation without a spare");
        NS_TEST_EXPECT_MSG_EQ(*m.GetCidForPath(2), MakeCid(3), "path 2 unchanged");

        // Randomized: paths come and go, rotate; the peer keeps issuing and raising RPT.
        QuicCidManager r;
        InitPeerSide(r, 6, MakeCid(1000));
        std::mt19937_64 rng(42);
        std::map<QuicConnectionId, uint32_t> owner; // CID -> the one path that ever used it
        std::set<QuicConnectionId> everUsedThenGone;
        bool shared = false;
        bool reused = false;
        uint64_t nextSeq = 1;
        uint64_t rpt = 0;
        std::set<uint32_t> paths{0};
        owner[MakeCid(1000)] = 0;
        for (int step = 0; step < 3000; ++step)
        {
            switch (rng() % 6)
            {
            case 0:
            case 1: {
                if (r.GetActivePeerCount() < 6)
                {
                    // A compliant issuer raises RPT only once the previous raise is retired
                    // (CID-14); RETIREs are acknowledged in the drain step below.
                    bool raise = rng() % 8 == 0 && r.GetRetireBacklog() == 0;
                    uint64_t newRpt = raise ? std::min(nextSeq, rpt + 2) : rpt;
                    rpt = std::max(rpt, newRpt);
                    auto e = r.OnNewConnectionId(nextSeq,
                                                 newRpt,
                                                 MakeCid(1000 + nextSeq),
                                                 MakeToken(1000 + nextSeq));
                    EXPECT_ERR(e, OK, "compliant peer");
                    ++nextSeq;
                }
                break;
            }
            case 2: {
                uint32_t p = static_cast<uint32_t>(rng() % 8);
                if (paths.count(p) == 0 && r.UseUnusedCid(p))
                {
                    paths.insert(p);
                }
                break;
            }
            case 3: {
                if (!paths.empty())
                {
                    uint32_t p = *std::next(paths.begin(), rng() % paths.size());
                    r.ReleasePath(p);
                    paths.erase(p);
                }
                break;
            }
            case 4: {
                if (!paths.empty())
                {
                    uint32_t p = *std::next(paths.begin(), rng() % paths.size());
                    r.RotateCid(p);
                }
                break;
            }
            default: {
                std::vector<QuicCidFrameRecord> recs;
                Drain(r, &recs);
                AckAll(r, recs);
                break;
            }
            }
            // Audit: each path's CID was never used by any other path.
            std::set<QuicConnectionId> current;
            for (uint32_t p = 0; p < 8; ++p)
            {
                auto c = r.GetCidForPath(p);
                if (!c)
                {
                    continue;
                }
                if (!current.insert(*c).second)
                {
                    shared = true;
                }
                auto it = owner.find(*c);
                if (it == owner.end())
                {
                    owner[*c] = p;
                }
                else if (it->second != p)
                {
                    shared = true; // PRIV-02/03 violated
                }
                if (everUsedThenGone.count(*c) != 0)
                {
                    reused = true;
                }
            }
            for (const auto& [cid, p] : owner)
            {
                if (current.count(cid) == 0)
                {
                    everUsedThenGone.insert(cid);
                }
            }
        }
        NS_TEST_EXPECT_MSG_EQ(shared, false, "no CID on two paths (PRIV-02, PRIV-03)");
        NS_TEST_EXPECT_MSG_EQ(reused, false, "a CID that left use never returns (PRIV-01)");
        NS_TEST_EXPECT_MSG_GT(owner.size(), 50, "many CIDs went through paths");
    }
};

// =============================================================================================
// Stateless reset
// =============================================================================================

/**
 * \ingroup quic-migration-tests
 * \brief SR-08, SR-09, SR-10, SR-03, SR-11 (detection): which tokens count.
 */
class QuicStatelessResetDetectTestCase : public TestCase
{
  public:
    QuicStatelessResetDetectTestCase()
        : TestCase("SR-08, SR-09, SR-10, SR-03 detection: token of a CID in use -> reset; unused "
                   "or retired "
                   "-> not; < 21 bytes -> not; long-header form still recognised")
    {
    }

  private:
    /**
     * \param size datagram size
     * \param token its tail
     * \param first first byte
     * \return the datagram
     */
    static std::vector<uint8_t> Datagram(size_t size, const QuicResetToken& token, uint8_t first)
    {
        std::vector<uint8_t> d(size, 0x5a);
        d[0] = first;
        if (size >= 16)
        {
            std::memcpy(d.data() + size - 16, token.data(), 16);
        }
        return d;
    }

    void DoRun() override
    {
        QuicCidManager client;
        InitPeerSide(client, 4, MakeCid(0));
        auto d0 = Datagram(40, MakeToken(100), 0x41);
        NS_TEST_EXPECT_MSG_EQ(client.IsStatelessReset(d0.data(), d0.size()),
                              false,
                              "seq 0 has no token yet");
        client.SetInitialPeerResetToken(MakeToken(100));
        NS_TEST_EXPECT_MSG_EQ(client.IsStatelessReset(d0.data(), d0.size()),
                              true,
                              "server TP token of the CID in use (SR-09)");
        auto shortOne = Datagram(20, MakeToken(100), 0x41);
        NS_TEST_EXPECT_MSG_EQ(client.IsStatelessReset(shortOne.data(), shortOne.size()),
                              false,
                              "20 bytes: too small (SR-08)");
        auto minimal = Datagram(21, MakeToken(100), 0x41);
        NS_TEST_EXPECT_MSG_EQ(client.IsStatelessReset(minimal.data(), minimal.size()),
                              true,
                              "21 bytes suffice");
        auto longForm = Datagram(60, MakeToken(100), 0xc3);
        NS_TEST_EXPECT_MSG_EQ(client.IsStatelessReset(longForm.data(), longForm.size()),
                              true,
                              "long-header form still a reset (SR-08)");

        client.OnNewConnectionId(1, 0, MakeCid(1), MakeToken(1));
        auto d1 = Datagram(40, MakeToken(1), 0x41);
        NS_TEST_EXPECT_MSG_EQ(client.IsStatelessReset(d1.data(), d1.size()),
                              false,
                              "unused CID's token ignored (SR-10)");
        client.UseUnusedCid(1);
        NS_TEST_EXPECT_MSG_EQ(client.IsStatelessReset(d1.data(), d1.size()),
                              true,
                              "once in use it counts");
        client.OnNewConnectionId(2, 0, MakeCid(2), MakeToken(2));
        client.RotateCid(1); // seq 1 retired, path 1 on seq 2
        NS_TEST_EXPECT_MSG_EQ(client.IsStatelessReset(d1.data(), d1.size()),
                              false,
                              "retired CID's token ignored (SR-10, SR-03)");
        auto d2 = Datagram(40, MakeToken(2), 0x41);
        NS_TEST_EXPECT_MSG_EQ(client.IsStatelessReset(d2.data(), d2.size()), true, "seq 2");
        auto other = Datagram(40, MakeToken(77), 0x41);
        NS_TEST_EXPECT_MSG_EQ(client.IsStatelessReset(other.data(), other.size()),
                              false,
                              "foreign token");
        NS_TEST_EXPECT_MSG_EQ(client.IsStatelessReset(nullptr, 40), false, "null datagram");

        // The server side: a client never sends a token for its seq 0 (SR-03).
        QuicCidManager server;
        InitPeerSide(server, 4, MakeCid(50));
        auto zeros = Datagram(40, QuicResetToken{}, 0x41);
        NS_TEST_EXPECT_MSG_EQ(server.IsStatelessReset(zeros.data(), zeros.size()),
                              false,
                              "no token: all-zero tail is no reset");
    }
};

/**
 * \ingroup quic-migration-tests
 * \brief SR-12: token derivation is HMAC-SHA256 truncated to 16 bytes (RFC 4231 vector).
 */
class QuicStatelessResetTokenTestCase : public TestCase
{
  public:
    QuicStatelessResetTokenTestCase()
        : TestCase("SR-12 token = HMAC-SHA256(static key, CID) truncated to 16 bytes "
                   "(RFC 4231 test case 1)")
    {
    }

  private:
    void DoRun() override
    {
        std::vector<uint8_t> key(20, 0x0b);
        const uint8_t data[] = {'H', 'i', ' ', 'T', 'h', 'e', 'r', 'e'};
        QuicConnectionId cid(data, sizeof(data));
        NS_TEST_EXPECT_MSG_EQ(Hex(QuicStatelessResetToken(key, cid)),
                              "b0344c61d8db38535ca8afceaf0bf12b",
                              "RFC 4231 §4.2 HMAC-SHA-256, first 16 bytes");
        NS_TEST_EXPECT_MSG_EQ(Hex(QuicStatelessResetToken(key.data(), key.size(), cid)),
                              "b0344c61d8db38535ca8afceaf0bf12b",
                              "pointer overload");
        QuicConnectionId other(data, 7);
        NS_TEST_EXPECT_MSG_NE(Hex(QuicStatelessResetToken(key, other)),
                              Hex(QuicStatelessResetToken(key, cid)),
                              "another CID, another token");
    }
};

/**
 * \ingroup quic-migration-tests
 * \brief SR-04, SR-05, SR-06, SR-07: the reset builder's size and format rules.
 */
class QuicStatelessResetBuildTestCase : public TestCase
{
  public:
    QuicStatelessResetBuildTestCase()
        : TestCase(
              "SR-04, SR-05, SR-06, SR-07 built resets: sizes for triggers of 22, 30, 43, 44, 100, "
              "1200 bytes, 0b01 first bits, >= 38 random bits, token tail; refusals")
    {
    }

  private:
    void DoRun() override
    {
        std::mt19937_64 rng(7);
        QuicRandomBytes random = [&rng](uint8_t* b, size_t n) {
            for (size_t i = 0; i < n; ++i)
            {
                b[i] = static_cast<uint8_t>(rng());
            }
        };
        QuicResetToken token = MakeToken(33);
        QuicStatelessResetOptions opt;

        struct Row
        {
            size_t trigger;
            size_t minSize;
            size_t maxSize;
        };

        const Row rows[] = {{22, 21, 21},
                            {30, 29, 29},
                            {43, 42, 42},
                            {44, 43, 43},
                            {100, 43, 99},
                            {1200, 43, opt.m_maxLength}};
        for (const auto& row : rows)
        {
            std::vector<uint8_t> trigger(row.trigger, 0x40);
            std::set<std::vector<uint8_t>> prefixes;
            for (int i = 0; i < 50; ++i)
            {
                std::vector<uint8_t> out;
                auto d = QuicBuildStatelessReset(trigger.data(),
                                                 trigger.size(),
                                                 token,
                                                 random,
                                                 opt,
                                                 out);
                std::string what = "trigger " + std::to_string(row.trigger);
                NS_TEST_ASSERT_MSG_EQ((d == QuicStatelessResetDecision::SEND), true, what);
                NS_TEST_ASSERT_MSG_GT_OR_EQ(out.size(), 21, what + ": >= 21 bytes");
                NS_TEST_EXPECT_MSG_GT_OR_EQ(out.size(), row.minSize, what + ": lower bound");
                NS_TEST_EXPECT_MSG_LT_OR_EQ(out.size(), row.maxSize, what + ": upper bound");
                NS_TEST_EXPECT_MSG_LT(out.size(), row.trigger, what + ": smaller (SR-07)");
                NS_TEST_EXPECT_MSG_LT(out.size(), 3 * row.trigger, what + ": < 3x (SR-06)");
                NS_TEST_EXPECT_MSG_EQ((out[0] & 0xc0), 0x40, what + ": 0b01 (SR-04)");
                NS_TEST_EXPECT_MSG_EQ(std::memcmp(out.data() + out.size() - 16, token.data(), 16),
                                      0,
                                      what + ": token tail (SR-04)");
                // The 38+ unpredictable bits: the 6 low bits of byte 0 and 4 more bytes.
                std::vector<uint8_t> prefix(out.begin(), out.begin() + 5);
                prefix[0] &= 0x3f;
                prefixes.insert(prefix);
            }
            NS_TEST_EXPECT_MSG_EQ(prefixes.size(), 50, "unpredictable bits differ each time");
        }

        std::vector<uint8_t> out;
        std::vector<uint8_t> t21(21, 0x40);
        NS_TEST_EXPECT_MSG_EQ((QuicBuildStatelessReset(t21.data(), 21, token, random, opt, out) ==
                               QuicStatelessResetDecision::TRIGGER_TOO_SMALL),
                              true,
                              "21-byte trigger: no smaller valid reset exists");
        NS_TEST_EXPECT_MSG_EQ(out.size(), 0, "nothing built");
        std::vector<uint8_t> lh(1200, 0);
        lh[0] = 0xc0;
        NS_TEST_EXPECT_MSG_EQ(
            (QuicBuildStatelessReset(lh.data(), lh.size(), token, random, opt, out) ==
             QuicStatelessResetDecision::LONG_HEADER),
            true,
            "long header refused by default");
        QuicStatelessResetOptions lhOk;
        lhOk.m_answerLongHeader = true;
        NS_TEST_EXPECT_MSG_EQ(
            (QuicBuildStatelessReset(lh.data(), lh.size(), token, random, lhOk, out) ==
             QuicStatelessResetDecision::SEND),
            true,
            "allowed with the flag (§10.3 MAY)");
        NS_TEST_EXPECT_MSG_EQ((out.size() >= 43 && out.size() < 1200 && (out[0] & 0xc0) == 0x40),
                              true,
                              "and in short-header form");
        std::vector<uint8_t> t50(50, 0x40);
        NS_TEST_EXPECT_MSG_EQ(
            (QuicBuildStatelessReset(t50.data(), 50, token, QuicRandomBytes(), opt, out) ==
             QuicStatelessResetDecision::NO_RANDOM),
            true,
            "no generator");
    }
};

/**
 * \ingroup quic-migration-tests
 * \brief SR-07: two endpoints that answer every unknown datagram with a reset shrink the
 * exchange until it stops.
 */
class QuicStatelessResetLoopTestCase : public TestCase
{
  public:
    QuicStatelessResetLoopTestCase()
        : TestCase(
              "SR-07 two stateless endpoints bouncing resets: each smaller than its trigger, down "
              "to 21 bytes, which is never answered: the loop ends")
    {
    }

  private:
    void DoRun() override
    {
        std::mt19937_64 rng(11);
        QuicRandomBytes random = [&rng](uint8_t* b, size_t n) {
            for (size_t i = 0; i < n; ++i)
            {
                b[i] = static_cast<uint8_t>(rng());
            }
        };
        std::vector<uint8_t> keyA(32, 1);
        std::vector<uint8_t> keyB(32, 2);
        for (size_t start : {22, 43, 44, 100, 1200, 1500})
        {
            std::vector<uint8_t> datagram(start, 0x40);
            size_t previous = start;
            int exchanges = 0;
            bool shrinking = true;
            while (true)
            {
                const auto& key = (exchanges % 2 == 0) ? keyA : keyB;
                // The answering side reads a DCID of 8 bytes (it lost its state).
                QuicConnectionId dcid(datagram.data() + 1, 8);
                std::vector<uint8_t> reset;
                auto d = QuicBuildStatelessReset(datagram.data(),
                                                 datagram.size(),
                                                 QuicStatelessResetToken(key, dcid),
                                                 random,
                                                 QuicStatelessResetOptions(),
                                                 reset);
                if (d != QuicStatelessResetDecision::SEND)
                {
                    break;
                }
                shrinking = shrinking && reset.size() < previous;
                previous = reset.size();
                datagram = reset;
                ++exchanges;
                if (exchanges > 2000)
                {
                    break;
                }
            }
            std::string what = "start " + std::to_string(start);
            NS_TEST_EXPECT_MSG_EQ(shrinking, true, what + ": every reset smaller (SR-07)");
            NS_TEST_EXPECT_MSG_LT(exchanges, 2000, what + ": the loop ends");
            NS_TEST_EXPECT_MSG_EQ(previous, 21, what + ": last reset is 21 bytes, not answered");
        }
    }
};

/**
 * \ingroup quic-migration-tests
 * \brief §10.3.3: the token-bucket limiter enforces its rate and burst, globally and per
 * remote address, with a bounded address table.
 */
class QuicStatelessResetRateLimitTestCase : public TestCase
{
  public:
    QuicStatelessResetRateLimitTestCase()
        : TestCase("SR-07, §10.3.3 reset rate limiter: burst then rate, per-address buckets, "
                   "bounded table")
    {
    }

  private:
    void DoRun() override
    {
        Address a = Address(1, reinterpret_cast<const uint8_t*>("aaaa"), 4);
        Address b = Address(1, reinterpret_cast<const uint8_t*>("bbbb"), 4);

        QuicStatelessResetRateLimiter global(10.0, 5.0);
        uint32_t ok = 0;
        for (int i = 0; i < 20; ++i)
        {
            ok += global.Allow(Seconds(1), a) ? 1 : 0;
        }
        NS_TEST_EXPECT_MSG_EQ(ok, 5, "burst of 5");
        NS_TEST_EXPECT_MSG_EQ(global.Allow(Seconds(1) + MilliSeconds(50), a), false, "half");
        NS_TEST_EXPECT_MSG_EQ(global.Allow(Seconds(1) + MilliSeconds(100), a), true, "one more");
        // 1000 attempts per second over 10 s: 10 per second get through.
        ok = 0;
        for (int i = 1; i <= 10000; ++i)
        {
            ok += global.Allow(Seconds(1) + MilliSeconds(100) + MilliSeconds(i), b) ? 1 : 0;
        }
        NS_TEST_EXPECT_MSG_EQ(ok, 100, "rate 10/s over 10 s");
        NS_TEST_EXPECT_MSG_EQ(global.GetAllowedCount(), 106, "allowed count");
        NS_TEST_EXPECT_MSG_EQ(global.GetAllowedCount() + global.GetRefusedCount(),
                              10022,
                              "every call counted");

        QuicStatelessResetRateLimiter perAddr(1.0, 2.0, true, 4);
        // Global and per-address buckets share rate and burst: a flooding address exhausts
        // its own bucket, the other address waits only for the global one.
        NS_TEST_EXPECT_MSG_EQ(perAddr.Allow(Seconds(0), a), true, "a 1");
        NS_TEST_EXPECT_MSG_EQ(perAddr.Allow(Seconds(0), a), true, "a 2");
        NS_TEST_EXPECT_MSG_EQ(perAddr.Allow(Seconds(0), a), false, "a exhausted");
        NS_TEST_EXPECT_MSG_EQ(perAddr.Allow(Seconds(0), b), false, "global also exhausted");
        NS_TEST_EXPECT_MSG_EQ(perAddr.Allow(Seconds(1), b), true, "b has its own bucket");
        NS_TEST_EXPECT_MSG_EQ(perAddr.Allow(Seconds(2), a), true, "a refilled");

        QuicStatelessResetRateLimiter wide(1000.0, 1000.0, true, 4);
        for (int i = 0; i < 3; ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(wide.Allow(Seconds(0), a), true, "a within its own burst");
        }
        uint32_t aOk = 0;
        for (int i = 0; i < 2000; ++i)
        {
            aOk += wide.Allow(Seconds(0), a) ? 1 : 0;
        }
        NS_TEST_EXPECT_MSG_EQ(aOk, 997, "a stops at its own burst");
        NS_TEST_EXPECT_MSG_EQ(wide.Allow(Seconds(0), b), false, "global burst spent too");
        for (uint8_t i = 0; i < 20; ++i)
        {
            uint8_t raw[4] = {'x', 'y', 'z', i};
            wide.Allow(Seconds(10) + MilliSeconds(i), Address(1, raw, 4));
        }
        NS_TEST_EXPECT_MSG_EQ(wide.GetAddressCount(), 4, "table bounded");
    }
};

// =============================================================================================
// Two managers talking
// =============================================================================================

/**
 * \ingroup quic-migration-tests
 * \brief CID-01, CID-05, CID-06, CID-07, CID-08, CID-12, CID-13, CID-14, PRIV-01, FR-04:
 * a client and a server manager exchange their frames over a lossy, reordering channel while
 * the client rotates and migrates and the server raises Retire Prior To; no error, both
 * sides' invariants hold, and routing follows.
 */
class QuicCidPairExchangeTestCase : public TestCase
{
  public:
    /// \param lossPercent frame loss percentage
    explicit QuicCidPairExchangeTestCase(uint32_t lossPercent)
        : TestCase("CID-01, CID-05, CID-06, CID-07, CID-08, CID-12, CID-13, CID-14, PRIV-01 client "
                   "and server managers over a "
                   "channel with " +
                   std::to_string(lossPercent) + "% loss and reordering"),
          m_loss(lossPercent)
    {
    }

  private:
    /// One frame in flight.
    struct InFlight
    {
        QuicFrame m_frame;           //!< the frame
        QuicCidFrameRecord m_record; //!< its record
        bool m_toServer;             //!< direction
    };

    void DoRun() override
    {
        FakeEndpoint cep(21);
        FakeEndpoint sep(22);
        QuicCidManager client;
        QuicCidManager server;
        cep.Attach(client);
        sep.Attach(server);
        client.SetLocalActiveConnectionIdLimit(4);
        server.SetLocalActiveConnectionIdLimit(3);
        client.SetMaxIssued(0);
        server.SetMaxIssued(0);
        QuicConnectionId cScid = cep.Next();
        QuicConnectionId sScid = sep.Next();
        client.SetInitialLocalCid(cScid);
        server.SetInitialLocalCid(sScid);
        client.SetInitialPeerCid(sScid, 0);
        server.SetInitialPeerCid(cScid, 0);
        client.SetInitialPeerResetToken(*server.GetLocalResetToken(0));
        client.SetPeerActiveConnectionIdLimit(3); // the server's limit
        server.SetPeerActiveConnectionIdLimit(4); // the client's limit

        std::mt19937_64 rng(1000 + m_loss);
        std::vector<InFlight> channel;
        uint32_t clientPath = 0;
        bool errors = false;
        bool routingOk = true;
        bool pathOk = true;
        bool limitsOk = true;
        uint64_t raises = 0;
        uint64_t rotations = 0;
        std::set<QuicConnectionId> serverIssued;
        std::map<uint64_t, QuicConnectionId> serverIssuedBySeq;
        for (int step = 0; step < 6000; ++step)
        {
            // Queue what both sides want to send.
            QuicFrame f;
            QuicCidFrameRecord r;
            while (client.NextFrame(f, r))
            {
                channel.push_back({f, r, true});
            }
            while (server.NextFrame(f, r))
            {
                if (f.m_type == QuicFrameType::NEW_CONNECTION_ID)
                {
                    serverIssued.insert(f.m_connectionId);
                    serverIssuedBySeq[f.m_sequenceNumber] = f.m_connectionId;
                }
                channel.push_back({f, r, false});
            }
            // Deliver one random frame (reordering), or lose it.
            if (!channel.empty())
            {
                size_t i = rng() % channel.size();
                InFlight x = channel[i];
                channel.erase(channel.begin() + i);
                QuicCidManager& sender = x.m_toServer ? client : server;
                QuicCidManager& receiver = x.m_toServer ? server : client;
                if (rng() % 100 < m_loss)
                {
                    sender.OnFrameLost(x.m_record);
                }
                else
                {
                    QuicTransportError e = OK;
                    if (x.m_frame.m_type == QuicFrameType::NEW_CONNECTION_ID)
                    {
                        e = receiver.OnNewConnectionId(x.m_frame);
                    }
                    else
                    {
                        // Carried in a packet to the receiver's current CID on some path.
                        auto dcid = sender.GetCidForPath(x.m_toServer ? clientPath : 0);
                        e = receiver.OnRetireConnectionId(x.m_frame.m_sequenceNumber,
                                                          dcid ? *dcid : QuicConnectionId());
                    }
                    if (e != OK)
                    {
                        errors = true;
                        NS_TEST_EXPECT_MSG_EQ(QuicTransportErrorName(e), "NO_ERROR", "no error");
                        break;
                    }
                    sender.OnFrameAcked(x.m_record);
                }
            }
            // The client migrates or rotates now and then.
            if (step % 37 == 0 && client.GetUnusedCount() > 0)
            {
                if (rng() % 2 == 0)
                {
                    uint32_t next = clientPath + 1;
                    if (client.UseUnusedCid(next))
                    {
                        client.ReleasePath(clientPath);
                        clientPath = next;
                        ++rotations;
                    }
                }
                else if (client.RotateCid(clientPath))
                {
                    ++rotations;
                }
            }
            // The server rotates its path to the client too.
            if (step % 53 == 0)
            {
                server.RotateCid(0);
            }
            // The server raises Retire Prior To when allowed (CID-14 is checked inside).
            if (step % 101 == 0 && server.RaiseRetirePriorTo(server.GetNextLocalSequenceNumber()))
            {
                ++raises;
            }
            routingOk = routingOk && sep.m_routes.size() == server.GetActiveLocalCount() &&
                        cep.m_routes.size() == client.GetActiveLocalCount();
            pathOk = pathOk && client.GetCidForPath(clientPath).has_value();
            limitsOk =
                limitsOk && client.GetActivePeerCount() <= 4 && server.GetActivePeerCount() <= 3;
        }
        NS_TEST_EXPECT_MSG_EQ(errors, false, "no connection error on either side");
        NS_TEST_EXPECT_MSG_EQ(routingOk, true, "routing tables follow the active CIDs");
        NS_TEST_EXPECT_MSG_EQ(pathOk, true, "the client's path always has a CID");
        NS_TEST_EXPECT_MSG_EQ(limitsOk, true, "active CIDs within both limits (CID-07, CID-08)");
        NS_TEST_EXPECT_MSG_GT(raises, 3, "the server raised RPT several times");
        NS_TEST_EXPECT_MSG_GT(rotations, 20, "the client moved many times");
        NS_TEST_EXPECT_MSG_EQ(serverIssued.size(),
                              serverIssuedBySeq.size(),
                              "one distinct value per server sequence number (CID-01)");
        NS_TEST_EXPECT_MSG_GT(serverIssued.size(), 100, "many server CIDs");
        NS_TEST_EXPECT_MSG_EQ(sep.m_badRegister + sep.m_badUnregister + cep.m_badRegister +
                                  cep.m_badUnregister,
                              0,
                              "routing calls paired");
        auto onPath = client.GetCidForPath(clientPath);
        NS_TEST_EXPECT_MSG_EQ((onPath && server.IsActive(*onPath)),
                              true,
                              "the client's DCID still reaches the server (CID-05)");
    }

    uint32_t m_loss; //!< loss percentage
};

/**
 * \ingroup quic-migration-tests
 * Connection-ID manager and stateless reset unit tests.
 */
class QuicCidManagerTestSuite : public TestSuite
{
  public:
    QuicCidManagerTestSuite()
        : TestSuite("quic-cid-manager", QUIC_SUITE_UNIT)
    {
        for (uint64_t limit : {2, 4, 8})
        {
            AddTestCase(new QuicCidIssueLimitTestCase(limit, 8), QUIC_TEST_QUICK);
        }
        AddTestCase(new QuicCidIssueLimitTestCase(8, 3), QUIC_TEST_QUICK);
        AddTestCase(new QuicCidUniquenessTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicCidRetireErrorsTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicCidHandshakeSequenceTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicCidIssuerRetirePriorToTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicCidFrameRecoveryTestCase, QUIC_TEST_QUICK);
        for (uint64_t limit : {2, 3, 8})
        {
            AddTestCase(new QuicCidPeerLimitTestCase(limit), QUIC_TEST_QUICK);
        }
        AddTestCase(new QuicCidPeerRetirePriorToTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicCidReorderedRetirePriorToTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicCidDuplicateTestCase, QUIC_TEST_QUICK);
        for (uint64_t limit : {2, 4})
        {
            AddTestCase(new QuicCidRetireBacklogTestCase(limit), QUIC_TEST_QUICK);
        }
        AddTestCase(new QuicCidZeroLengthTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicCidPathPrivacyTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicStatelessResetDetectTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicStatelessResetTokenTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicStatelessResetBuildTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicStatelessResetLoopTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicStatelessResetRateLimitTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicCidPairExchangeTestCase(0), QUIC_TEST_QUICK);
        AddTestCase(new QuicCidPairExchangeTestCase(20), QUIC_TEST_QUICK);
    }
};

/// Static variable for test initialization.
static QuicCidManagerTestSuite g_quicCidManagerTestSuite;

} // namespace
