/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_PATH_VALIDATOR_H
#define QUIC_PATH_VALIDATOR_H

#include "ns3/nstime.h"

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

namespace ns3
{

/**
 * \ingroup quic-migration
 * \brief Path validation of one path (RFC 9000 §8.2): challenges, retries, abandonment.
 *
 * Owns the PATH_CHALLENGE data outstanding on one path and its two deadlines:
 *
 * - the next challenge, at PTO cadence with the backoff of RFC 9002 (§8.2.1: a new path is
 *   not probed faster than Initial packets would be sent, PV-04, CC-04); each retry carries
 *   new unpredictable data (PV-03, PV-13);
 * - abandonment, 3 x max(current PTO, PTO of a new path computed with kInitialRtt) after the
 *   first challenge (§8.2.4, PV-14). Abandoning makes only this path unusable (PV-15).
 *
 * A PATH_RESPONSE matches if it echoes any outstanding challenge (PV-08), whatever path it
 * arrived on (PV-11). Only a matching response validates; ACKs do not (PV-02). The number of
 * outstanding challenges is bounded (an attacker cannot make the set grow).
 *
 * Pure logic: the connection passes the time and a source of random bytes and arms its one
 * timer at GetDeadline().
 */
class QuicPathValidator
{
  public:
    /// Bytes of PATH_CHALLENGE data (RFC 9000 §19.17).
    static constexpr size_t DATA_LENGTH = 8;
    /// Outstanding challenges remembered at most.
    static constexpr size_t MAX_OUTSTANDING = 8;
    /// PATH_CHALLENGE data.
    using Data = std::array<uint8_t, DATA_LENGTH>;
    /// Source of unpredictable bytes.
    using RandomBytes = std::function<void(uint8_t*, size_t)>;

    /// Validation state.
    enum State
    {
        IDLE,       ///< never started
        VALIDATING, ///< challenges outstanding
        VALIDATED,  ///< a matching PATH_RESPONSE arrived
        FAILED,     ///< abandoned after the timeout
    };

    QuicPathValidator();

    /**
     * \brief Start (or restart) validation.
     * \param now the current time
     * \param pto the current PTO (with backoff) of the path, the retry cadence
     * \param abandonAfter the abandonment delay, 3 x max(PTO, PTO with kInitialRtt)
     * \param random source of challenge data
     */
    void Start(Time now, Time pto, Time abandonAfter, RandomBytes random);

    /// \return the state
    State GetState() const;

    /// \return true while VALIDATING
    bool IsValidating() const;

    /// \return true if a new PATH_CHALLENGE is due now (after Start() or a retry time)
    bool IsChallengeDue() const;

    /**
     * \brief Take the data of the challenge to send now (records it as outstanding).
     * \param now the current time
     * \return the data
     */
    Data TakeChallenge(Time now);

    /**
     * \brief A PATH_RESPONSE arrived (on any path).
     * \param data its data
     * \param now the current time
     * \return true if it matched an outstanding challenge: the path is now validated
     */
    bool OnResponse(const Data& data, Time now);

    /**
     * \brief Advance the timers.
     * \param now the current time
     * \return true if validation failed now (abandonment deadline passed)
     */
    bool OnTimer(Time now);

    /// \return the earliest time at which OnTimer() has something to do (Time::Max() if none)
    Time GetDeadline() const;

    /// Abandon validation without failing (e.g. the path is no longer needed, §8.2.4).
    void Cancel();

    /// \return when validation started
    Time GetStartTime() const;

    /// \return when it succeeded or failed (zero before)
    Time GetEndTime() const;

    /// \return challenges sent since Start()
    uint32_t GetChallengesSent() const;

  private:
    State m_state;
    std::vector<Data> m_outstanding; //!< data of the challenges sent, newest last
    RandomBytes m_random;            //!< challenge data source
    Time m_pto;                      //!< retry cadence, doubled after each retry
    Time m_nextChallenge;            //!< when the next challenge is due
    Time m_abandonAt;                //!< failure deadline
    Time m_start;                    //!< Start() time
    Time m_end;                      //!< success or failure time
    bool m_due;                      //!< a challenge is due
    uint32_t m_sent;                 //!< challenges sent
};

} // namespace ns3

#endif /* QUIC_PATH_VALIDATOR_H */
