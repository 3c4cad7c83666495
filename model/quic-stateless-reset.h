/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_STATELESS_RESET_H
#define QUIC_STATELESS_RESET_H

#include "quic-connection-id.h"

#include "ns3/address.h"
#include "ns3/nstime.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <vector>

namespace ns3
{

/// Length of a stateless reset token (RFC 9000 §10.3, §19.15).
static constexpr size_t QUIC_RESET_TOKEN_LENGTH = 16;

/**
 * \ingroup quic-migration
 * \brief A 16-byte stateless reset token (RFC 9000 §10.3).
 *
 * The same type as QuicTransportParameters::StatelessResetToken and
 * QuicPreferredAddress::statelessResetToken, so values pass between them unchanged.
 */
using QuicResetToken = std::array<uint8_t, QUIC_RESET_TOKEN_LENGTH>;

/// Smallest datagram that can be a stateless reset: 5 header bytes + 16 token bytes (§10.3).
static constexpr size_t QUIC_STATELESS_RESET_MIN_LENGTH = 21;

/// Triggers of at most this size get a reset exactly one byte shorter (§10.3, SR-05).
static constexpr size_t QUIC_STATELESS_RESET_SMALL_TRIGGER = 43;

/**
 * \ingroup quic-migration
 * \brief Derive the stateless reset token of a connection ID from a static key
 * (RFC 9000 §10.3.2, SR-12).
 *
 * token = first 16 bytes of HMAC-SHA256(key, connection ID bytes), computed with
 * OpenSSL libcrypto. The same key and connection ID always give the same token, so an
 * endpoint that lost its state can still produce the token of a connection ID it finds in
 * a received packet. The static-key scheme needs a non-empty connection ID: a zero-length
 * connection ID cannot be given a token (§10.3.2); for one, this function still returns
 * the HMAC of the empty string, and callers must not issue it.
 *
 * \param key the static key (any length; 32 random bytes are a good choice)
 * \param keyLength its length in bytes
 * \param cid the connection ID the token is bound to
 * \return the token
 */
QuicResetToken QuicStatelessResetToken(const uint8_t* key,
                                       size_t keyLength,
                                       const QuicConnectionId& cid);

/**
 * \brief Convenience overload of QuicStatelessResetToken().
 * \param key the static key
 * \param cid the connection ID
 * \return the token
 */
QuicResetToken QuicStatelessResetToken(const std::vector<uint8_t>& key,
                                       const QuicConnectionId& cid);

/**
 * \ingroup quic-migration
 * \brief Source of unpredictable bytes: fill `length` bytes at `buffer`.
 *
 * Supplied by the caller so that ns-3 random variable streams drive every draw (same
 * --RngRun, same bytes).
 */
using QuicRandomBytes = std::function<void(uint8_t* buffer, size_t length)>;

/**
 * \ingroup quic-migration
 * \brief Outcome of QuicBuildStatelessReset().
 */
enum class QuicStatelessResetDecision
{
    SEND,              ///< a reset was built
    TRIGGER_TOO_SMALL, ///< trigger < 22 bytes: any reset would not be smaller and valid (SR-07)
    LONG_HEADER,       ///< trigger has a long header and answering those is disabled
    NO_RANDOM,         ///< no random generator was supplied (programming error)
};

/**
 * \ingroup quic-migration
 * \brief Options of QuicBuildStatelessReset().
 */
struct QuicStatelessResetOptions
{
    /**
     * Whether a long-header trigger may be answered. RFC 9000 §10.3 allows it (MAY) but
     * notes it is rarely useful, as the peer does not hold a token before the handshake
     * completes; this module follows its issue tracker and refuses by default.
     */
    bool m_answerLongHeader{false};

    /**
     * Upper bound on the size of a reset answering a trigger of more than 43 bytes. Such a
     * reset gets a random size in [43, min(trigger - 1, m_maxLength)], so that it is not
     * recognisable by a fixed length and stays at least 41 bytes (§10.3.3). Values below 43
     * are treated as 43.
     */
    size_t m_maxLength{100};
};

/**
 * \ingroup quic-migration
 * \brief Build a stateless reset answering a received datagram (RFC 9000 §10.3).
 *
 * Layout (§10.3): first byte 0b01xxxxxx (short-header form with the fixed bit, SR-04),
 * unpredictable bytes, then the 16-byte token; everything but the two fixed bits comes from
 * `random`, so a reset carries at least 38 unpredictable bits (6 + 4 x 8 at 21 bytes).
 *
 * Size rules:
 * - every reset is strictly smaller than its trigger (SR-07, §10.3.3): two endpoints that
 *   keep answering each other's resets shrink the exchange until a datagram is below
 *   22 bytes, which is never answered; hence also never 3 times the trigger (SR-06);
 * - a trigger of at most 43 bytes is answered with exactly trigger - 1 bytes (SR-05);
 * - a larger trigger is answered with a random size in [43, min(trigger - 1, m_maxLength)].
 *
 * What the caller decides: whether the trigger belongs to no connection (SR-01), whether
 * its tail is itself one of our tokens (then it is a reset and must not be answered:
 * check with QuicCidManager::IsStatelessReset first), the token (usually
 * QuicStatelessResetToken(key, DCID of the trigger)), and rate limiting
 * (QuicStatelessResetRateLimiter).
 *
 * \param trigger the received datagram (its first byte tells long from short header)
 * \param triggerSize its size in bytes
 * \param token the token to put in the last 16 bytes
 * \param random source of unpredictable bytes
 * \param options size and long-header options
 * \param out receives the reset (cleared first; empty unless SEND)
 * \return SEND, or why no reset must be sent
 */
QuicStatelessResetDecision QuicBuildStatelessReset(const uint8_t* trigger,
                                                   size_t triggerSize,
                                                   const QuicResetToken& token,
                                                   const QuicRandomBytes& random,
                                                   const QuicStatelessResetOptions& options,
                                                   std::vector<uint8_t>& out);

/**
 * \ingroup quic-migration
 * \brief Token-bucket limit on the stateless resets an endpoint sends (RFC 9000 §10.3.3).
 *
 * One global bucket, and optionally one bucket per remote address (§10.3.3 advises separate
 * limits per remote address, so that one flooding peer does not exhaust the resets other
 * peers need). Each bucket holds up to `burst` resets and refills at `rate` resets per
 * second of simulated time; a reset is allowed when every bucket that applies has one, and
 * then takes one from each.
 *
 * The buckets are kept in the equivalent "virtual scheduling" form (GCRA, ITU-T I.371): one
 * theoretical arrival time per bucket, in integer nanoseconds, so the counts are exact (no
 * floating-point drift: a 10/s limiter allows exactly 100 resets in 10 s).
 *
 * The per-address table is bounded (STYLE 10: an attacker chooses source addresses): when
 * it is full, the entry seen least recently is dropped. A dropped address starts again with
 * a full bucket, which is why the global bucket stays in force.
 *
 * Pure logic: time comes in as an argument; no Simulator calls.
 */
class QuicStatelessResetRateLimiter
{
  public:
    /**
     * \param rate refill rate in resets per second (values below 1e-6 are raised to it)
     * \param burst bucket capacity in resets (rounded down, at least 1)
     * \param perAddress whether each remote address also gets its own bucket
     * \param maxAddresses bound on the per-address table (>= 1)
     */
    QuicStatelessResetRateLimiter(double rate = 10.0,
                                  double burst = 10.0,
                                  bool perAddress = false,
                                  size_t maxAddresses = 1024);

    /**
     * \brief Ask to send one reset; takes from the buckets when allowed.
     * \param now the current time
     * \param remote the address the reset would go to
     * \return true if the reset may be sent
     */
    bool Allow(Time now, const Address& remote);

    /// \return resets allowed so far
    uint64_t GetAllowedCount() const;
    /// \return resets refused so far
    uint64_t GetRefusedCount() const;
    /// \return entries in the per-address table
    size_t GetAddressCount() const;

  private:
    /// One bucket in virtual-scheduling form.
    struct Bucket
    {
        int64_t m_tat;  //!< theoretical arrival time of the next reset, ns
        int64_t m_seen; //!< last time this bucket was asked, ns (table eviction)
    };

    /**
     * \param b a bucket
     * \param now the current time, ns
     * \return true if the bucket has a reset available at `now`
     */
    bool Conforms(const Bucket& b, int64_t now) const;

    /**
     * \brief Take one reset from a conforming bucket.
     * \param b the bucket
     * \param now the current time, ns
     */
    void Take(Bucket& b, int64_t now) const;

    int64_t m_interval;                    //!< ns between two resets at the sustained rate
    int64_t m_tolerance;                   //!< (burst - 1) x interval, ns
    bool m_perAddress;                     //!< per-address buckets enabled
    size_t m_maxAddresses;                 //!< bound on m_byAddress
    Bucket m_global;                       //!< the global bucket
    std::map<Address, Bucket> m_byAddress; //!< per-address buckets
    uint64_t m_allowed;                    //!< allowed count
    uint64_t m_refused;                    //!< refused count
};

} // namespace ns3

#endif /* QUIC_STATELESS_RESET_H */
