/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_CID_MANAGER_H
#define QUIC_CID_MANAGER_H

#include "quic-connection-id.h"
#include "quic-error.h"
#include "quic-frame.h"
#include "quic-stateless-reset.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup quic-migration
 * \brief What a sent packet carried for the connection-ID manager (RFC 9000 §13.3).
 *
 * The connection keeps one of these per NEW_CONNECTION_ID or RETIRE_CONNECTION_ID frame in
 * its per-packet record and hands it back through QuicCidManager::OnFrameAcked() or
 * QuicCidManager::OnFrameLost(). Two words: the frame is rebuilt from the manager's state
 * when it has to be sent again, with the same sequence number (FR-04).
 */
struct QuicCidFrameRecord
{
    QuicFrameType m_type{QuicFrameType::NEW_CONNECTION_ID}; //!< NEW_ or RETIRE_CONNECTION_ID
    uint64_t m_sequenceNumber{0};                           //!< the frame's Sequence Number

    /// \param o other record \return true if type and sequence number are equal
    bool operator==(const QuicCidFrameRecord& o) const
    {
        return m_type == o.m_type && m_sequenceNumber == o.m_sequenceNumber;
    }
};

/**
 * \ingroup quic-migration
 * \brief State of a connection ID received from the peer (RFC 9000 §5.1.2, §10.3.1).
 */
enum class QuicPeerCidState
{
    UNUSED,  ///< received, never used on any path
    IN_USE,  ///< the DCID of exactly one path
    RETIRED, ///< retired; its RETIRE_CONNECTION_ID may still be unacknowledged
};

/**
 * \ingroup quic-migration
 * \brief The connection IDs of one QUIC connection, both ways (RFC 9000 §5.1, §9.5, §10.3,
 * §19.15, §19.16).
 *
 * CIDs live apart from paths (STYLE 7): paths refer to the peer CIDs they use by path id, and
 * this object is the only place that knows which CID a path sends with.
 *
 * **Local CIDs** (issued by us, the peer's Destination Connection IDs towards us):
 * - sequence 0 is the handshake Source Connection ID (SetInitialLocalCid()), sequence 1 the
 *   preferred_address CID when one is used (IssuePreferredAddressCid()), then every new CID
 *   is one above the previous one (CID-03, CID-04). The client's first random DCID and a
 *   Retry CID have no sequence number and are not kept here;
 * - values come from a caller-supplied generator (the endpoint's, so ns-3 random streams
 *   drive them, and the endpoint's routing table can refuse a value another connection
 *   holds). A value is issued at most once per connection (CID-01): the manager remembers
 *   every value it issued and asks the generator again on a repeat;
 * - each CID gets the token QuicStatelessResetToken(key, cid) from the endpoint's static key
 *   (SR-12);
 * - the peer is kept stocked with min(its active_connection_id_limit, a local cap) CIDs
 *   (CID-06), and never holds more un-retired CIDs than its limit, except when the same
 *   NEW_CONNECTION_ID's Retire Prior To retires the surplus (CID-07);
 * - every issued CID is registered with the endpoint's routing through a callback, and
 *   unregistered only when the peer retires it (or at UnregisterAll()), so a CID below a
 *   raised Retire Prior To keeps being accepted until the peer's RETIRE_CONNECTION_ID
 *   arrives (CID-05, CID-11); retiring a CID also drops its token (SR-03);
 * - a RETIRE_CONNECTION_ID naming a sequence number never sent, or the CID that carried it,
 *   is a PROTOCOL_VIOLATION (FR-09, FR-10); a valid one is answered by a replacement
 *   (CID-06); Retire Prior To is not raised again before everything below the previous value
 *   has been retired (CID-14).
 *
 * **Peer CIDs** (issued by the peer, our Destination Connection IDs):
 * - the NEW_CONNECTION_ID rules of §19.15: identical repeats are ignored, a sequence number
 *   reused for another CID or token, or a CID repeated under another sequence number, or a
 *   token repeated for another CID, is a PROTOCOL_VIOLATION (FR-04, SR-12); a Retire Prior To
 *   that does not exceed the largest received is ignored (FR-06); a larger one retires every
 *   lower sequence number before the new CID joins (CID-12), and a CID below it is retired
 *   on arrival (FR-07); more active CIDs than our active_connection_id_limit afterwards is a
 *   CONNECTION_ID_LIMIT_ERROR (CID-08);
 * - states unused / in use by one path / retired; UseUnusedCid() hands a path a CID no other
 *   path ever used (PRIV-01..03), RotateCid() switches a path to a fresh CID (§9.5),
 *   ReleasePath() retires the CID of a path that is no longer used (CID-10); keeping a CID
 *   when only the peer's address changed (NAT-03) is simply not calling them;
 * - retired CIDs whose RETIRE_CONNECTION_ID is not yet acknowledged are tracked until it is
 *   (no CID is forgotten unretired, CID-13). The backlog bound is max(configured, 2 x our
 *   limit): more retirements forced by the peer's Retire Prior To than that is a
 *   CONNECTION_ID_LIMIT_ERROR; the retirements we choose are bounded by UseUnusedCid() and
 *   RotateCid() refusing while the whole backlog is at the bound (ReleasePath() never
 *   refuses: a CID must not be kept in use to save state);
 * - stateless reset detection compares a datagram's last 16 bytes, in constant time, with the
 *   tokens of the CIDs currently in use only, never with unused or retired ones (SR-09,
 *   SR-10), and only for datagrams of at least 21 bytes (SR-08).
 *
 * Zero-length CIDs (FR-03): when our handshake CID is empty we issue no other CID and treat a
 * received RETIRE_CONNECTION_ID as a PROTOCOL_VIOLATION; when the peer's is empty, a received
 * NEW_CONNECTION_ID is a PROTOCOL_VIOLATION, and every path sends with the empty CID (whether
 * to migrate then, PRIV-04, is the caller's decision).
 *
 * Frames to send come out of NextFrame(); their loss puts them back in the queue with the
 * same sequence number, their acknowledgement ends their life (RFC 9000 §13.3). A repeated
 * NEW_CONNECTION_ID carries Retire Prior To = min(current value, its sequence number), so a
 * raised value reaches the peer on every copy and the frame stays encodable (FR-05).
 *
 * Left out, on purpose: time (no timers: a peer that never retires the CIDs below a raised
 * Retire Prior To is the caller's to close, CID-11 MAY), packets and paths themselves, the
 * endpoint's routing table and the choice of when to migrate. Pure logic: no Simulator, no
 * sockets, every random draw through the caller's generator.
 */
class QuicCidManager
{
  public:
    /// Default cap on the CIDs we keep issued to the peer (the peer's limit may be lower).
    static constexpr uint64_t DEFAULT_LOCAL_ISSUE_CAP = 8;
    /// Default cap on the CIDs issued over the connection's life (§5.1.1 MAY, §10.3.2).
    static constexpr uint64_t DEFAULT_MAX_ISSUED = 1 << 16;
    /// Attempts at drawing a value that is new to the connection and to the endpoint.
    static constexpr unsigned GENERATOR_ATTEMPTS = 16;
    /// Bound on the ranges kept to remember retired peer sequence numbers (STYLE 10).
    static constexpr size_t MAX_RETIRED_RANGES = 256;

    /// Generator of new local CID values (the endpoint's GenerateCid()).
    using CidGenerator = std::function<QuicConnectionId()>;
    /// Route a local CID to this connection (with its sequence number); false if refused.
    using RegisterCallback = std::function<bool(const QuicConnectionId&, uint64_t)>;
    /// Stop routing a local CID (with its sequence number).
    using UnregisterCallback = std::function<void(const QuicConnectionId&, uint64_t)>;
    /// A peer CID was retired: (sequence number, CID, path that used it or NO_PATH).
    using PeerCidRetiredCallback = std::function<void(uint64_t, const QuicConnectionId&, uint32_t)>;

    /// Path id meaning "no path".
    static constexpr uint32_t NO_PATH = 0xffffffff;

    /**
     * \brief An empty manager. Configure it (generator, routing, key, limits), then call
     * SetInitialLocalCid() and, once the peer's handshake CID is known, SetInitialPeerCid().
     */
    QuicCidManager();

    // ---- configuration -------------------------------------------------------------------

    /**
     * \brief Set the generator of new local CID values. It must return non-empty CIDs of the
     * endpoint's fixed length (§10.3.2 needs the length to be known without state).
     * \param generator the generator
     */
    void SetCidGenerator(CidGenerator generator);

    /**
     * \brief Set the routing callbacks that keep the endpoint's CID table in step.
     * \param reg called for every CID issued (including sequence 0)
     * \param unreg called for every CID retired by the peer and at UnregisterAll()
     */
    void SetRoutingCallbacks(RegisterCallback reg, UnregisterCallback unreg);

    /// \param cb called whenever a peer CID is retired (for traces)
    void SetPeerCidRetiredCallback(PeerCidRetiredCallback cb);

    /**
     * \brief Set the endpoint's static key for stateless reset tokens (SR-12).
     * \param key the key (copied)
     */
    void SetResetKey(const std::vector<uint8_t>& key);

    /**
     * \brief Set the active_connection_id_limit we advertise (CID-08, CID-13).
     * \param limit our limit (values below 2 are raised to 2, §18.2)
     */
    void SetLocalActiveConnectionIdLimit(uint64_t limit);

    /**
     * \param cap most CIDs kept issued to the peer, whatever its limit (>= 1; CID-06)
     */
    void SetLocalIssueCap(uint64_t cap);

    /**
     * \param maxIssued most CIDs issued over the connection's life, sequence 0 included;
     * 0 means no cap (§5.1.1 MAY)
     */
    void SetMaxIssued(uint64_t maxIssued);

    /**
     * \brief Set the bound on retired peer CIDs whose RETIRE_CONNECTION_ID is unacknowledged.
     * \param limit the bound; the effective bound is max(limit, 2 x our limit) (CID-13)
     */
    void SetRetireBacklogLimit(uint64_t limit);

    /// \return the effective retirement backlog bound
    uint64_t GetRetireBacklogLimit() const;

    // ---- local CIDs -------------------------------------------------------------------------

    /**
     * \brief Record the handshake Source Connection ID as sequence 0 and route it (CID-03).
     * An empty CID switches to the zero-length configuration: nothing else is ever issued.
     * \param cid our handshake Source Connection ID
     * \return false if already set or if the routing callback refused it
     */
    bool SetInitialLocalCid(const QuicConnectionId& cid);

    /**
     * \brief Issue sequence 1 for the preferred_address transport parameter (CID-03, §9.6).
     * Call after SetInitialLocalCid() and before the peer's limit is set.
     * \param cid receives the CID
     * \param token receives its stateless reset token
     * \return false if sequence 1 is taken, the local CID is empty, or no value was found
     */
    bool IssuePreferredAddressCid(QuicConnectionId& cid, QuicResetToken& token);

    /**
     * \brief Record the peer's active_connection_id_limit and top up the peer's supply
     * (CID-06, CID-07). Until this is called no NEW_CONNECTION_ID is issued.
     * \param limit the peer's transport parameter (2 when absent)
     */
    void SetPeerActiveConnectionIdLimit(uint64_t limit);

    /**
     * \brief Issue new CIDs until the peer holds min(its limit, local cap) un-retired CIDs at
     * or above Retire Prior To, or the lifetime cap is hit (CID-06, CID-07).
     * \return the number of CIDs issued
     */
    uint64_t ReplenishLocalCids();

    /**
     * \brief Apply a received RETIRE_CONNECTION_ID (§19.16).
     * \param sequenceNumber the frame's Sequence Number
     * \param packetDcid the Destination Connection ID of the packet that carried it
     * \return NO_ERROR, or PROTOCOL_VIOLATION for a zero-length local CID (FR-03), a sequence
     * number never sent (FR-09), or the carrying packet's own CID (FR-10)
     */
    QuicTransportError OnRetireConnectionId(uint64_t sequenceNumber,
                                            const QuicConnectionId& packetDcid);

    /**
     * \brief Ask the peer to retire every local CID below `retirePriorTo` (§5.1.2, CID-11).
     *
     * The affected CIDs stay routed until the peer retires them. New CIDs are issued at once
     * to carry the value (a NEW_CONNECTION_ID is the only frame that does).
     * \param retirePriorTo the new value (above the current one, at most the next sequence
     * number to issue)
     * \return false, changing nothing, if the value does not increase, exceeds the next
     * sequence number, the previous raise is not fully retired yet (CID-14), or no new CID
     * could be issued to carry it
     */
    bool RaiseRetirePriorTo(uint64_t retirePriorTo);

    /// \return the current local Retire Prior To
    uint64_t GetRetirePriorTo() const;

    /**
     * \param cid a Destination Connection ID seen in a received packet
     * \return true if it is one of our CIDs the peer has not retired (CID-05)
     */
    bool IsActive(const QuicConnectionId& cid) const;

    /**
     * \param cid a local CID
     * \return its sequence number, if it is active
     */
    std::optional<uint64_t> GetLocalSequenceNumber(const QuicConnectionId& cid) const;

    /**
     * \param sequenceNumber a local sequence number
     * \return the stateless reset token of that active local CID, if any
     */
    std::optional<QuicResetToken> GetLocalResetToken(uint64_t sequenceNumber) const;

    /// \return the active (not retired by the peer) local CIDs, in sequence order
    std::vector<QuicConnectionId> GetActiveLocalCids() const;

    /// \return the number of active local CIDs
    size_t GetActiveLocalCount() const;

    /// \return the next local sequence number to be issued
    uint64_t GetNextLocalSequenceNumber() const;

    /**
     * \brief Unregister every active local CID (connection end: draining over).
     * The local table is emptied.
     */
    void UnregisterAll();

    // ---- peer CIDs ---------------------------------------------------------------------------

    /**
     * \brief Record the peer's handshake Source Connection ID as its sequence 0, in use by a
     * path (§7.2). An empty CID selects the zero-length configuration (FR-03).
     * \param cid the peer's Source Connection ID from its first Initial
     * \param pathId the path that uses it
     * \return false if already set
     */
    bool SetInitialPeerCid(const QuicConnectionId& cid, uint32_t pathId);

    /**
     * \brief Attach the server's stateless_reset_token transport parameter to peer sequence 0
     * (client side, SR-03).
     * \param token the token
     * \return PROTOCOL_VIOLATION if another peer CID already has this token (SR-12)
     */
    QuicTransportError SetInitialPeerResetToken(const QuicResetToken& token);

    /**
     * \brief Add the CID of the server's preferred_address as peer sequence 1 (CID-03).
     * \param cid the CID
     * \param token its token
     * \return as OnNewConnectionId(1, 0, cid, token)
     */
    QuicTransportError AddPreferredAddressPeerCid(const QuicConnectionId& cid,
                                                  const QuicResetToken& token);

    /**
     * \brief Apply a received NEW_CONNECTION_ID (§19.15, §5.1.1, §5.1.2).
     * \param sequenceNumber Sequence Number
     * \param retirePriorTo Retire Prior To
     * \param cid Connection ID
     * \param token Stateless Reset Token
     * \return NO_ERROR; PROTOCOL_VIOLATION (FR-03, FR-04, SR-12); CONNECTION_ID_LIMIT_ERROR
     * (CID-08; CID-13: more unacknowledged retirements forced by Retire Prior To than
     * GetRetireBacklogLimit()); FRAME_ENCODING_ERROR if the decoder's checks were bypassed (FR-02,
     * FR-05)
     */
    QuicTransportError OnNewConnectionId(uint64_t sequenceNumber,
                                         uint64_t retirePriorTo,
                                         const QuicConnectionId& cid,
                                         const QuicResetToken& token);

    /**
     * \brief Convenience overload taking a decoded frame.
     * \param frame a NEW_CONNECTION_ID frame
     * \return as the other overload
     */
    QuicTransportError OnNewConnectionId(const QuicFrame& frame);

    /**
     * \brief Give a path that has no CID a peer CID never used on any path (PRIV-01..03).
     * With zero-length peer CIDs every path gets the empty CID.
     * \param pathId the path
     * \return the CID; nothing if the path already has one, no unused CID is left, or the
     * retirement backlog is at its bound (CID-13; it drains as RETIREs are acknowledged)
     */
    std::optional<QuicConnectionId> UseUnusedCid(uint32_t pathId);

    /**
     * \param pathId a path
     * \return the CID the path sends with (NAT-03: keep it while only the peer's address
     * changes); nothing if the path has none
     */
    std::optional<QuicConnectionId> GetCidForPath(uint32_t pathId) const;

    /**
     * \param pathId a path
     * \return the sequence number of the path's CID, if it has one
     */
    std::optional<uint64_t> GetSequenceNumberForPath(uint32_t pathId) const;

    /**
     * \brief The path stopped being used: retire its CID (CID-10).
     * \param pathId the path
     * \return true if a CID was retired
     */
    bool ReleasePath(uint32_t pathId);

    /**
     * \brief Privacy rotation (§9.5, PRIV-01): switch the path to a never-used CID and retire
     * the old one.
     * \param pathId the path
     * \return the new CID; nothing (and no change) if the path has no CID, no unused CID is
     * left, the retirement backlog is full, or peer CIDs are zero-length
     */
    std::optional<QuicConnectionId> RotateCid(uint32_t pathId);

    /// \return the number of peer CIDs never used on any path
    size_t GetUnusedCount() const;

    /// \return the number of active (unused or in use) peer CIDs
    size_t GetActivePeerCount() const;

    /// \return retired peer CIDs whose RETIRE_CONNECTION_ID is not acknowledged yet
    size_t GetRetireBacklog() const;

    /// \return the largest Retire Prior To received from the peer
    uint64_t GetLargestPeerRetirePriorTo() const;

    /**
     * \param sequenceNumber a peer sequence number
     * \return its state (RETIRED also once forgotten after its retirement was acknowledged);
     * nothing if never received
     */
    std::optional<QuicPeerCidState> GetPeerCidState(uint64_t sequenceNumber) const;

    /**
     * \brief Whether a datagram is a stateless reset for this connection (§10.3.1).
     * \param datagram the whole UDP payload
     * \param size its size
     * \return true if it has at least 21 bytes and its last 16 equal the token of a peer CID
     * in use (constant-time comparison, SR-08..SR-10)
     */
    bool IsStatelessReset(const uint8_t* datagram, size_t size) const;

    // ---- frames to send -----------------------------------------------------------------------

    /// \return true if a NEW_ or RETIRE_CONNECTION_ID frame waits to be sent
    bool HasFramesToSend() const;

    /**
     * \brief Take the next frame to send: RETIRE_CONNECTION_ID first, then NEW_CONNECTION_ID,
     * each in sequence order. If the caller cannot fit it, it must call OnFrameLost(record).
     * \param frame receives the frame
     * \param record receives what to keep with the sent packet
     * \return false if nothing waits
     */
    bool NextFrame(QuicFrame& frame, QuicCidFrameRecord& record);

    /**
     * \param record a frame's record: its packet was acknowledged
     */
    void OnFrameAcked(const QuicCidFrameRecord& record);

    /**
     * \param record a frame's record: its packet was declared lost (or the frame did not fit);
     * the frame is queued again with the same sequence number unless no longer needed
     */
    void OnFrameLost(const QuicCidFrameRecord& record);

  private:
    /// Send state of a local CID's NEW_CONNECTION_ID.
    enum class SendState
    {
        PENDING,   //!< waits in m_ncidQueue
        IN_FLIGHT, //!< sent, not acknowledged
        ACKED,     //!< acknowledged (or delivered in the handshake)
    };

    /// One local CID.
    struct LocalCid
    {
        QuicConnectionId m_cid; //!< the value
        QuicResetToken m_token; //!< its stateless reset token
        SendState m_sendState;  //!< NEW_CONNECTION_ID delivery
        bool m_everSent;        //!< put in a frame at least once
    };

    /// One peer CID.
    struct PeerCid
    {
        QuicConnectionId m_cid;   //!< the value
        QuicResetToken m_token;   //!< its stateless reset token
        bool m_hasToken;          //!< false for a client's sequence 0 (no token, SR-03)
        QuicPeerCidState m_state; //!< unused / in use / retired
        uint32_t m_pathId;        //!< path using it (IN_USE)
        bool m_forced;            //!< RETIRED because of the peer's Retire Prior To
    };

    /**
     * Entries by sequence number on a sorted vector: the part of std::map used here. A
     * connection holds a handful of CIDs each way; one allocation for them all instead of a
     * tree node each. Inserting or erasing invalidates iterators (none is kept across).
     */
    template <typename V>
    class SeqMap
    {
      public:
        using value_type = std::pair<uint64_t, V>;                               //!< entry
        using iterator = typename std::vector<value_type>::iterator;             //!< iterator
        using const_iterator = typename std::vector<value_type>::const_iterator; //!< iterator

        /// \return first entry
        iterator begin()
        {
            return m_items.begin();
        }

        /// \return past the last entry
        iterator end()
        {
            return m_items.end();
        }

        /// \return first entry
        const_iterator begin() const
        {
            return m_items.begin();
        }

        /// \return past the last entry
        const_iterator end() const
        {
            return m_items.end();
        }

        /// \return true if there is no entry
        bool empty() const
        {
            return m_items.empty();
        }

        /// \return number of entries
        size_t size() const
        {
            return m_items.size();
        }

        /// Remove every entry.
        void clear()
        {
            m_items.clear();
        }

        /// \param key a sequence number \return first entry not below it
        iterator lower_bound(uint64_t key)
        {
            return std::lower_bound(m_items.begin(), m_items.end(), key, Less);
        }

        /// \param key a sequence number \return first entry not below it
        const_iterator lower_bound(uint64_t key) const
        {
            return std::lower_bound(m_items.begin(), m_items.end(), key, Less);
        }

        /// \param key a sequence number \return its entry, or end()
        iterator find(uint64_t key)
        {
            auto it = lower_bound(key);
            return it != m_items.end() && it->first == key ? it : m_items.end();
        }

        /// \param key a sequence number \return its entry, or end()
        const_iterator find(uint64_t key) const
        {
            auto it = lower_bound(key);
            return it != m_items.end() && it->first == key ? it : m_items.end();
        }

        /**
         * \param key a sequence number
         * \param value its value (ignored if the key is present)
         * \return the entry of the key, and whether it was inserted
         */
        std::pair<iterator, bool> emplace(uint64_t key, const V& value)
        {
            auto it = lower_bound(key);
            if (it != m_items.end() && it->first == key)
            {
                return {it, false};
            }
            return {m_items.insert(it, value_type(key, value)), true};
        }

        /// \param it an entry to remove \return the entry after it
        iterator erase(iterator it)
        {
            return m_items.erase(it);
        }

      private:
        /// \param e an entry \param key a sequence number \return true if e is below key
        static bool Less(const value_type& e, uint64_t key)
        {
            return e.first < key;
        }

        std::vector<value_type> m_items; //!< entries, ascending sequence numbers
    };

    /**
     * \brief Draw a value never issued on this connection and accepted by the routing.
     * \param seq the sequence number it will get
     * \param cid receives it
     * \return false if none was found
     */
    bool DrawNewLocalCid(uint64_t seq, QuicConnectionId& cid);
    /// \param cid a local CID value issued now: remembered in m_issuedValues
    void RememberIssued(const QuicConnectionId& cid);

    /**
     * \brief Issue the next local CID.
     * \param sendInFrame false for sequence 0 and 1 (delivered in the handshake)
     * \return false if no CID could be issued
     */
    bool IssueOne(bool sendInFrame);

    /// \return un-retired local CIDs at or above Retire Prior To
    uint64_t CountHeldByPeer() const;

    /// \return min(peer limit, local cap)
    uint64_t TargetIssued() const;

    /**
     * \brief Retire a peer CID: queue its RETIRE_CONNECTION_ID, drop it from its path.
     * \param it the entry
     * \param forced true when the peer's Retire Prior To forces it (counts for CID-13)
     */
    void RetirePeer(SeqMap<PeerCid>::iterator it, bool forced);

    /**
     * \brief Check a NEW_CONNECTION_ID's CID and token against the known peer CIDs.
     * \param seq its sequence number
     * \param cid its CID
     * \param token its token
     * \return NO_ERROR, or PROTOCOL_VIOLATION on a repeated CID or token (FR-04, SR-12)
     */
    QuicTransportError CheckPeerConflicts(uint64_t seq,
                                          const QuicConnectionId& cid,
                                          const QuicResetToken& token) const;

    /// \param seq a peer sequence number \return true if it was retired already
    bool IsPeerSeqRetired(uint64_t seq) const;
    /// \param seq a peer sequence number to remember as retired
    void MarkPeerSeqRetired(uint64_t seq);

    /// \param pathId a path \return the in-use entry of that path, or end()
    SeqMap<PeerCid>::iterator FindPath(uint32_t pathId);
    /// \param pathId a path \return the in-use entry of that path, or end()
    SeqMap<PeerCid>::const_iterator FindPath(uint32_t pathId) const;
    /// \return the lowest unused peer CID, or end()
    SeqMap<PeerCid>::iterator FindUnused();

    // configuration
    CidGenerator m_generator;             //!< new local CID values
    RegisterCallback m_register;          //!< routing: add
    UnregisterCallback m_unregister;      //!< routing: remove
    PeerCidRetiredCallback m_peerRetired; //!< trace hook
    std::vector<uint8_t> m_resetKey;      //!< static key for tokens
    uint64_t m_localLimit;                //!< our active_connection_id_limit
    uint64_t m_localIssueCap;             //!< local cap on issued CIDs
    uint64_t m_maxIssued;                 //!< lifetime cap (0: none)
    uint64_t m_retireBacklogLimit;        //!< configured backlog bound

    // local CIDs
    bool m_localInitialized;   //!< sequence 0 set
    bool m_localZeroLength;    //!< our CID is zero-length
    uint64_t m_peerLimit;      //!< peer's limit (0: not known yet)
    uint64_t m_nextLocalSeq;   //!< next sequence number to issue
    uint64_t m_largestSentSeq; //!< largest sequence number sent to the peer
    uint64_t m_retirePriorTo;  //!< our Retire Prior To
    SeqMap<LocalCid> m_local;  //!< active local CIDs by sequence number
    /// Every local CID value issued on this connection, sorted (CID-01). A sorted vector: a
    /// hash set costs a node per value plus a bucket array, per connection.
    std::vector<QuicConnectionId> m_issuedValues;
    std::set<uint64_t> m_ncidQueue; //!< NEW_CONNECTION_ID to send

    // peer CIDs
    bool m_peerInitialized;                       //!< peer sequence 0 set
    bool m_peerZeroLength;                        //!< peer CID is zero-length
    std::set<uint32_t> m_zeroLengthPaths;         //!< paths in the zero-length configuration
    uint64_t m_largestPeerRpt;                    //!< largest Retire Prior To received
    SeqMap<PeerCid> m_peer;                       //!< known peer CIDs (active and retiring)
    std::map<uint64_t, uint64_t> m_retiredRanges; //!< retired peer seqs, [first, last]
    std::set<uint64_t> m_rcidQueue;               //!< RETIRE_CONNECTION_ID to send
};

} // namespace ns3

#endif /* QUIC_CID_MANAGER_H */
