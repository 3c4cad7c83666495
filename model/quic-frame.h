/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_FRAME_H
#define QUIC_FRAME_H

#include "quic-buffer.h"
#include "quic-connection-id.h"
#include "quic-error.h"
#include "quic-packet-header.h"

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup quic-migration
 * \brief QUIC version 1 frame types (RFC 9000 §12.4 Table 3, §19).
 *
 * The enumerators are the wire values. Frame types that carry flags in their low bits
 * (ACK, STREAM, MAX_STREAMS, STREAMS_BLOCKED, CONNECTION_CLOSE) have one enumerator per
 * wire value, so a QuicFrame keeps the exact type it was decoded from or will be encoded
 * with. Use QuicFrameTypeIsStream() / QuicFrameTypeIsAck() to test a family. Values above
 * 0x1e are not frame types of RFC 9000; a variable of this type may still hold one (the
 * decoder reports the type it read), and every classification function treats it as unknown.
 */
enum class QuicFrameType : uint64_t
{
    PADDING = 0x00,              ///< §19.1
    PING = 0x01,                 ///< §19.2
    ACK = 0x02,                  ///< §19.3, without ECN counts
    ACK_ECN = 0x03,              ///< §19.3, with ECN counts
    RESET_STREAM = 0x04,         ///< §19.4
    STOP_SENDING = 0x05,         ///< §19.5
    CRYPTO = 0x06,               ///< §19.6
    NEW_TOKEN = 0x07,            ///< §19.7
    STREAM = 0x08,               ///< §19.8, no OFF/LEN/FIN bit (family 0x08-0x0f)
    STREAM_FIN = 0x09,           ///< §19.8, FIN
    STREAM_LEN = 0x0a,           ///< §19.8, LEN
    STREAM_LEN_FIN = 0x0b,       ///< §19.8, LEN FIN
    STREAM_OFF = 0x0c,           ///< §19.8, OFF
    STREAM_OFF_FIN = 0x0d,       ///< §19.8, OFF FIN
    STREAM_OFF_LEN = 0x0e,       ///< §19.8, OFF LEN
    STREAM_OFF_LEN_FIN = 0x0f,   ///< §19.8, OFF LEN FIN
    MAX_DATA = 0x10,             ///< §19.9
    MAX_STREAM_DATA = 0x11,      ///< §19.10
    MAX_STREAMS_BIDI = 0x12,     ///< §19.11, bidirectional
    MAX_STREAMS_UNI = 0x13,      ///< §19.11, unidirectional
    DATA_BLOCKED = 0x14,         ///< §19.12
    STREAM_DATA_BLOCKED = 0x15,  ///< §19.13
    STREAMS_BLOCKED_BIDI = 0x16, ///< §19.14, bidirectional
    STREAMS_BLOCKED_UNI = 0x17,  ///< §19.14, unidirectional
    NEW_CONNECTION_ID = 0x18,    ///< §19.15
    RETIRE_CONNECTION_ID = 0x19, ///< §19.16
    PATH_CHALLENGE = 0x1a,       ///< §19.17
    PATH_RESPONSE = 0x1b,        ///< §19.18
    CONNECTION_CLOSE = 0x1c,     ///< §19.19, transport error (QUIC layer)
    CONNECTION_CLOSE_APP = 0x1d, ///< §19.19, application error
    HANDSHAKE_DONE = 0x1e,       ///< §19.20
};

/// Largest frame type defined by RFC 9000 (HANDSHAKE_DONE).
static constexpr uint64_t QUIC_FRAME_TYPE_MAX_KNOWN = 0x1e;

/// OFF bit of a STREAM frame type: the Offset field is present (§19.8).
static constexpr uint64_t QUIC_STREAM_FRAME_BIT_OFF = 0x04;
/// LEN bit of a STREAM frame type: the Length field is present (§19.8).
static constexpr uint64_t QUIC_STREAM_FRAME_BIT_LEN = 0x02;
/// FIN bit of a STREAM frame type: the frame ends the stream (§19.8).
static constexpr uint64_t QUIC_STREAM_FRAME_BIT_FIN = 0x01;

/// Largest Maximum Streams value of MAX_STREAMS / STREAMS_BLOCKED: 2^60 (§19.11, §19.14).
static constexpr uint64_t QUIC_MAX_STREAMS_LIMIT = 1ULL << 60;

/**
 * \param type a frame type (any 62-bit value)
 * \return true if RFC 9000 defines it (0x00-0x1e)
 */
constexpr bool
QuicFrameTypeIsKnown(uint64_t type)
{
    return type <= QUIC_FRAME_TYPE_MAX_KNOWN;
}

/**
 * \param type a frame type
 * \return true for the STREAM family 0x08-0x0f
 */
constexpr bool
QuicFrameTypeIsStream(QuicFrameType type)
{
    return (static_cast<uint64_t>(type) & ~uint64_t{0x07}) == 0x08;
}

/**
 * \param type a frame type
 * \return true for ACK (0x02) and ACK with ECN counts (0x03)
 */
constexpr bool
QuicFrameTypeIsAck(QuicFrameType type)
{
    return type == QuicFrameType::ACK || type == QuicFrameType::ACK_ECN;
}

/**
 * \brief The STREAM frame type with the given flag bits (§19.8).
 * \param off the Offset field is present
 * \param len the Length field is present
 * \param fin the frame ends the stream
 * \return a type in 0x08-0x0f
 */
constexpr QuicFrameType
QuicStreamFrameType(bool off, bool len, bool fin)
{
    return static_cast<QuicFrameType>(0x08 | (off ? QUIC_STREAM_FRAME_BIT_OFF : 0) |
                                      (len ? QUIC_STREAM_FRAME_BIT_LEN : 0) |
                                      (fin ? QUIC_STREAM_FRAME_BIT_FIN : 0));
}

/**
 * \brief Bit of a frame type in a 32-bit frame-type set (QuicFramePacketSummary::m_frameTypes).
 *
 * Every RFC 9000 type (0x00-0x1e) has its own bit, 1 << type; unknown types have none.
 * \param type a frame type
 * \return the bit, or 0 for an unknown type
 */
constexpr uint32_t
QuicFrameTypeBit(QuicFrameType type)
{
    return QuicFrameTypeIsKnown(static_cast<uint64_t>(type))
               ? (uint32_t{1} << static_cast<uint64_t>(type))
               : 0;
}

/// Frame-type set holding every STREAM type 0x08-0x0f.
static constexpr uint32_t QUIC_FRAME_MASK_STREAM = 0x0000ff00;
/// Frame-type set holding both ACK types.
static constexpr uint32_t QUIC_FRAME_MASK_ACK = 0x0000000c;
/// Frame-type set holding both CONNECTION_CLOSE types.
static constexpr uint32_t QUIC_FRAME_MASK_CONNECTION_CLOSE = 0x30000000;
/// Frame-type set of the probing frames (§9.1): PADDING, NEW_CONNECTION_ID, PATH_CHALLENGE,
/// PATH_RESPONSE.
static constexpr uint32_t QUIC_FRAME_MASK_PROBING = 0x0d000001; // bits 0x00, 0x18, 0x1a, 0x1b

/**
 * \ingroup quic-migration
 * \brief One acknowledged interval [m_smallest, m_largest] of an ACK frame (§19.3.1).
 */
struct QuicAckRange
{
    uint64_t m_smallest; //!< smallest acknowledged packet number (inclusive)
    uint64_t m_largest;  //!< largest acknowledged packet number (inclusive)

    /// \param o the other range \return true if both ends are equal
    bool operator==(const QuicAckRange& o) const
    {
        return m_smallest == o.m_smallest && m_largest == o.m_largest;
    }

    /// \param o the other range \return true if an end differs
    bool operator!=(const QuicAckRange& o) const
    {
        return !(*this == o);
    }
};

/**
 * \ingroup quic-migration
 * \brief A decoded or to-be-encoded QUIC frame (RFC 9000 §19).
 *
 * Representation: one flat struct with a type tag (m_type, the exact wire type) and the
 * fields of every kind, named after the RFC field they carry. Fields that mean the same
 * thing in several frames are shared; only the fields of the current m_type are
 * meaningful, the others keep whatever an earlier use left there. This keeps the
 * per-packet path cheap: one QuicFrame object can be reused for every frame of every
 * packet with no allocation, and there is no virtual dispatch or variant copy.
 *
 * | m_type                       | fields used                                             |
 * |------------------------------|---------------------------------------------------------|
 * | PADDING                      | m_paddingLength (bytes in the run, >= 1)                |
 * | PING, HANDSHAKE_DONE         | -                                                       |
 * | ACK, ACK_ECN                 | m_ackDelay, m_ackRanges; ACK_ECN: m_ect0Count,          |
 * |                              | m_ect1Count, m_ecnCeCount                               |
 * | RESET_STREAM                 | m_streamId, m_errorCode, m_finalSize                    |
 * | STOP_SENDING                 | m_streamId, m_errorCode                                 |
 * | CRYPTO                       | m_offset, m_data/m_dataLength (Crypto Data)             |
 * | NEW_TOKEN                    | m_data/m_dataLength (Token, never empty)                |
 * | STREAM (0x08-0x0f)           | m_streamId, m_offset (0 without OFF bit), m_data/...    |
 * | MAX_DATA, DATA_BLOCKED       | m_maximum (Maximum Data)                                |
 * | MAX_STREAM_DATA,             | m_streamId, m_maximum (Maximum Stream Data)             |
 * | STREAM_DATA_BLOCKED          |                                                         |
 * | MAX_STREAMS_*,               | m_maximum (Maximum Streams, <= 2^60)                    |
 * | STREAMS_BLOCKED_*            |                                                         |
 * | NEW_CONNECTION_ID            | m_sequenceNumber, m_retirePriorTo, m_connectionId,      |
 * |                              | m_statelessResetToken                                   |
 * | RETIRE_CONNECTION_ID         | m_sequenceNumber                                        |
 * | PATH_CHALLENGE/PATH_RESPONSE | m_pathData                                              |
 * | CONNECTION_CLOSE (0x1c)      | m_errorCode, m_frameType, m_data/m_dataLength (reason)  |
 * | CONNECTION_CLOSE_APP (0x1d)  | m_errorCode, m_data/m_dataLength (reason)               |
 *
 * Payload bytes (stream and crypto data, the NEW_TOKEN token, the reason phrase) are a
 * view, m_data + m_dataLength, never a copy. After QuicDecodeFrame() the view points into
 * the buffer the reader was built over and is valid only as long as that buffer is (for a
 * received packet: until the decrypted payload is released; copy what must outlive it).
 * For a frame built to be sent, the view points to the caller's bytes, which must stay
 * valid until QuicEncodeFrame() has run.
 *
 * ACK ranges are stored decoded, as acknowledged intervals in descending order (m_ackRanges[0]
 * holds the Largest Acknowledged), so iterating m_ackRanges walks the intervals from the
 * newest packets down. The decoder calls clear() and push_back(), so a reused QuicFrame keeps
 * the vector's capacity and does not allocate once it has seen the largest ACK of a connection.
 * The ACK Delay is kept as the raw field value: scaling by 2^ack_delay_exponent is the
 * receiver's job (§19.3, §18.2).
 *
 * STREAM frames keep the OFF, LEN and FIN bits in m_type. A STREAM frame without the LEN bit
 * extends to the end of the packet, so the encoder writes its data last and it must be the
 * last frame of the packet.
 */
struct QuicFrame
{
    /// Length of PATH_CHALLENGE / PATH_RESPONSE Data (§19.17).
    static constexpr size_t PATH_DATA_LENGTH = 8;
    /// Length of a Stateless Reset Token (§19.15).
    static constexpr size_t RESET_TOKEN_LENGTH = 16;

    QuicFrameType m_type{QuicFrameType::PADDING}; //!< exact wire type
    uint64_t m_paddingLength{1};                  //!< PADDING: bytes in the run (>= 1)

    uint64_t m_ackDelay{0};                //!< ACK: raw ACK Delay field
    std::vector<QuicAckRange> m_ackRanges; //!< ACK: intervals, descending, non-adjacent
    uint64_t m_ect0Count{0};               //!< ACK_ECN: ECT(0) count
    uint64_t m_ect1Count{0};               //!< ACK_ECN: ECT(1) count
    uint64_t m_ecnCeCount{0};              //!< ACK_ECN: ECN-CE count

    uint64_t m_streamId{0};  //!< stream frames: Stream ID
    uint64_t m_offset{0};    //!< STREAM / CRYPTO: Offset
    uint64_t m_errorCode{0}; //!< RESET_STREAM / STOP_SENDING / CONNECTION_CLOSE: Error Code
    uint64_t m_finalSize{0}; //!< RESET_STREAM: Final Size
    uint64_t m_maximum{0};   //!< MAX_* / *_BLOCKED: Maximum Data / Stream Data / Streams

    uint64_t m_sequenceNumber{0};                        //!< NEW_/RETIRE_CONNECTION_ID
    uint64_t m_retirePriorTo{0};                         //!< NEW_CONNECTION_ID
    QuicConnectionId m_connectionId;                     //!< NEW_CONNECTION_ID (1-20 bytes)
    uint8_t m_statelessResetToken[RESET_TOKEN_LENGTH]{}; //!< NEW_CONNECTION_ID

    uint8_t m_pathData[PATH_DATA_LENGTH]{}; //!< PATH_CHALLENGE / PATH_RESPONSE: Data

    uint64_t m_frameType{0}; //!< CONNECTION_CLOSE 0x1c: type of the frame that caused it

    const uint8_t* m_data{nullptr}; //!< payload view (see class comment for its lifetime)
    size_t m_dataLength{0};         //!< bytes at m_data

    /// \return true for STREAM types with the OFF bit
    bool HasOffsetBit() const
    {
        return (static_cast<uint64_t>(m_type) & QUIC_STREAM_FRAME_BIT_OFF) != 0;
    }

    /// \return true for STREAM types with the LEN bit
    bool HasLengthBit() const
    {
        return (static_cast<uint64_t>(m_type) & QUIC_STREAM_FRAME_BIT_LEN) != 0;
    }

    /// \return true for STREAM types with the FIN bit
    bool HasFin() const
    {
        return (static_cast<uint64_t>(m_type) & QUIC_STREAM_FRAME_BIT_FIN) != 0;
    }

    /// \return true for ACK_ECN (the ECN counts are present)
    bool HasEcnCounts() const
    {
        return m_type == QuicFrameType::ACK_ECN;
    }

    /// \return true for MAX_STREAMS_BIDI and STREAMS_BLOCKED_BIDI
    bool IsBidirectional() const
    {
        return m_type == QuicFrameType::MAX_STREAMS_BIDI ||
               m_type == QuicFrameType::STREAMS_BLOCKED_BIDI;
    }

    /// \return ACK: the Largest Acknowledged (0 if there are no ranges)
    uint64_t LargestAcknowledged() const
    {
        return m_ackRanges.empty() ? 0 : m_ackRanges.front().m_largest;
    }

    /// \return ACK: the smallest acknowledged packet number (0 if there are no ranges)
    uint64_t SmallestAcknowledged() const
    {
        return m_ackRanges.empty() ? 0 : m_ackRanges.back().m_smallest;
    }

    /**
     * \brief Whether an ACK frame acknowledges a packet number (binary search).
     * \param packetNumber the packet number
     * \return true if some interval of m_ackRanges holds it
     */
    bool Acknowledges(uint64_t packetNumber) const;

    /// \return the reason phrase (CONNECTION_CLOSE) or the payload view, copied into a string
    std::string DataAsString() const;

    /**
     * \brief PADDING run.
     * \param length bytes of padding (each byte is one PADDING frame on the wire; >= 1)
     * \return the frame
     */
    static QuicFrame Padding(size_t length);

    /// \return a PING frame
    static QuicFrame Ping();

    /**
     * \brief ACK from acknowledged intervals in any order.
     *
     * The intervals are normalised with QuicAckRangesNormalize() (sorted in descending
     * order, overlapping and adjacent intervals merged).
     * \param ranges acknowledged intervals (at least one for the frame to be encodable)
     * \param ackDelay the raw ACK Delay field (already divided by 2^ack_delay_exponent)
     * \return the frame (type ACK)
     */
    static QuicFrame Ack(const std::vector<QuicAckRange>& ranges, uint64_t ackDelay);

    /**
     * \brief ACK with ECN counts (type 0x03).
     * \param ranges acknowledged intervals, as for Ack()
     * \param ackDelay the raw ACK Delay field
     * \param ect0 ECT(0) count
     * \param ect1 ECT(1) count
     * \param ce ECN-CE count
     * \return the frame (type ACK_ECN)
     */
    static QuicFrame AckEcn(const std::vector<QuicAckRange>& ranges,
                            uint64_t ackDelay,
                            uint64_t ect0,
                            uint64_t ect1,
                            uint64_t ce);

    /**
     * \param streamId Stream ID
     * \param errorCode Application Protocol Error Code
     * \param finalSize Final Size
     * \return a RESET_STREAM frame
     */
    static QuicFrame ResetStream(uint64_t streamId, uint64_t errorCode, uint64_t finalSize);

    /**
     * \param streamId Stream ID
     * \param errorCode Application Protocol Error Code
     * \return a STOP_SENDING frame
     */
    static QuicFrame StopSending(uint64_t streamId, uint64_t errorCode);

    /**
     * \param offset Offset
     * \param data Crypto Data (viewed, not copied)
     * \param length bytes at data
     * \return a CRYPTO frame
     */
    static QuicFrame Crypto(uint64_t offset, const uint8_t* data, size_t length);

    /**
     * \param token the token (viewed, not copied; must not be empty to be encodable)
     * \param length bytes at token
     * \return a NEW_TOKEN frame
     */
    static QuicFrame NewToken(const uint8_t* token, size_t length);

    /**
     * \brief STREAM frame with chosen flags.
     *
     * The OFF bit is set when offset is not 0 or when forceOffset is true; the LEN bit when
     * withLength is true (a frame without it must be the last one of its packet).
     * \param streamId Stream ID
     * \param offset Offset
     * \param data Stream Data (viewed, not copied)
     * \param length bytes at data
     * \param fin set the FIN bit
     * \param withLength set the LEN bit
     * \param forceOffset set the OFF bit even when offset is 0
     * \return the frame
     */
    static QuicFrame Stream(uint64_t streamId,
                            uint64_t offset,
                            const uint8_t* data,
                            size_t length,
                            bool fin,
                            bool withLength = true,
                            bool forceOffset = false);

    /// \param maximum Maximum Data \return a MAX_DATA frame
    static QuicFrame MaxData(uint64_t maximum);

    /**
     * \param streamId Stream ID
     * \param maximum Maximum Stream Data
     * \return a MAX_STREAM_DATA frame
     */
    static QuicFrame MaxStreamData(uint64_t streamId, uint64_t maximum);

    /**
     * \param bidirectional true for 0x12, false for 0x13
     * \param maximum Maximum Streams (<= 2^60 to be encodable)
     * \return a MAX_STREAMS frame
     */
    static QuicFrame MaxStreams(bool bidirectional, uint64_t maximum);

    /// \param maximum Maximum Data at which blocking occurred \return a DATA_BLOCKED frame
    static QuicFrame DataBlocked(uint64_t maximum);

    /**
     * \param streamId Stream ID
     * \param maximum Maximum Stream Data at which blocking occurred
     * \return a STREAM_DATA_BLOCKED frame
     */
    static QuicFrame StreamDataBlocked(uint64_t streamId, uint64_t maximum);

    /**
     * \param bidirectional true for 0x16, false for 0x17
     * \param maximum Maximum Streams (<= 2^60 to be encodable)
     * \return a STREAMS_BLOCKED frame
     */
    static QuicFrame StreamsBlocked(bool bidirectional, uint64_t maximum);

    /**
     * \param sequenceNumber Sequence Number
     * \param retirePriorTo Retire Prior To (<= sequenceNumber to be encodable)
     * \param cid the connection ID (1-20 bytes to be encodable)
     * \param resetToken the 16-byte Stateless Reset Token
     * \return a NEW_CONNECTION_ID frame
     */
    static QuicFrame NewConnectionId(uint64_t sequenceNumber,
                                     uint64_t retirePriorTo,
                                     const QuicConnectionId& cid,
                                     const uint8_t resetToken[RESET_TOKEN_LENGTH]);

    /// \param sequenceNumber Sequence Number \return a RETIRE_CONNECTION_ID frame
    static QuicFrame RetireConnectionId(uint64_t sequenceNumber);

    /// \param data the 8 Data bytes (copied) \return a PATH_CHALLENGE frame
    static QuicFrame PathChallenge(const uint8_t data[PATH_DATA_LENGTH]);

    /// \param data the 8 Data bytes (copied) \return a PATH_RESPONSE frame
    static QuicFrame PathResponse(const uint8_t data[PATH_DATA_LENGTH]);

    /**
     * \brief CONNECTION_CLOSE of type 0x1c (transport error).
     * \param errorCode the transport error code
     * \param frameType the type of the frame that triggered the error (0 if unknown)
     * \param reason Reason Phrase bytes (viewed, not copied; may be null if length is 0)
     * \param reasonLength bytes at reason
     * \return the frame
     */
    static QuicFrame ConnectionClose(QuicTransportError errorCode,
                                     uint64_t frameType,
                                     const uint8_t* reason = nullptr,
                                     size_t reasonLength = 0);

    /**
     * \brief CONNECTION_CLOSE of type 0x1d (application error).
     * \param errorCode the application error code
     * \param reason Reason Phrase bytes (viewed, not copied; may be null if length is 0)
     * \param reasonLength bytes at reason
     * \return the frame
     */
    static QuicFrame ApplicationClose(uint64_t errorCode,
                                      const uint8_t* reason = nullptr,
                                      size_t reasonLength = 0);

    /// \return a HANDSHAKE_DONE frame
    static QuicFrame HandshakeDone();
};

/**
 * \brief Frame equality over the fields of the frame's type (payloads compared by content).
 * \param a a frame
 * \param b another frame
 * \return true if the types and their fields are equal
 */
bool operator==(const QuicFrame& a, const QuicFrame& b);

/**
 * \param a a frame
 * \param b another frame
 * \return !(a == b)
 */
bool operator!=(const QuicFrame& a, const QuicFrame& b);

/**
 * \brief Print a one-line description of a frame, e.g. "PATH_CHALLENGE data=0011..".
 * \param os the stream
 * \param frame the frame
 * \return the stream
 */
std::ostream& operator<<(std::ostream& os, const QuicFrame& frame);

/**
 * \brief Print a frame type as its RFC name plus wire value, e.g. "STREAM(0x0b)".
 * \param os the stream
 * \param type the type
 * \return the stream
 */
std::ostream& operator<<(std::ostream& os, QuicFrameType type);

/**
 * \brief Sort acknowledged intervals in descending order and merge overlapping or adjacent
 * ones, so that they satisfy the ACK frame layout (§19.3.1). Intervals with
 * m_smallest > m_largest are swapped first.
 * \param ranges the intervals, modified in place
 */
void QuicAckRangesNormalize(std::vector<QuicAckRange>& ranges);

/**
 * \brief Decode one frame (RFC 9000 §12.4, §19).
 *
 * The reader must span exactly the packet payload: a STREAM frame without the LEN bit takes
 * every remaining byte. A run of consecutive PADDING bytes is decoded as one PADDING frame
 * with m_paddingLength set to the run length.
 *
 * Errors (the reader is left unchanged; the frame's m_type holds the type that was read, or
 * PADDING (0) if not even the type could be read, which is the value a CONNECTION_CLOSE
 * carries for an unknown triggering frame; its other fields are unspecified):
 * - FRAME_ENCODING_ERROR: the frame or a varint runs past the buffer; unknown frame type
 *   (§12.4, FR-13); NEW_CONNECTION_ID Length outside 1..20 (FR-02) or Retire Prior To above
 *   the Sequence Number (FR-05); an ACK range below packet number 0 or an ACK Range Count
 *   the rest of the buffer cannot carry (§19.3.1, §20.1); STREAM or CRYPTO offset + length
 *   above 2^62-1 (§19.8, §19.6: FRAME_ENCODING_ERROR chosen over FLOW_CONTROL_ERROR /
 *   CRYPTO_BUFFER_EXCEEDED because it is a property of the encoding alone); Maximum Streams
 *   above 2^60 in MAX_STREAMS / STREAMS_BLOCKED (§19.11, §19.14); empty NEW_TOKEN (§19.7).
 * - PROTOCOL_VIOLATION: a known frame type encoded in more than one byte (§12.4 MAY, FR-13).
 *   An unknown type is FRAME_ENCODING_ERROR whatever its encoding.
 *
 * Rules that need connection state (which packet type carries the frame, role of the
 * receiver, stream state, CID state) are not checked here; see QuicFrameParser for the
 * packet-type rule.
 * \param reader positioned at a frame; advanced past it on success
 * \param frame receives the frame (only the fields of its type are written)
 * \return NO_ERROR, FRAME_ENCODING_ERROR or PROTOCOL_VIOLATION
 */
QuicTransportError QuicDecodeFrame(QuicBufferReader& reader, QuicFrame& frame);

/**
 * \brief Encoded size of a frame, or 0 if it cannot be encoded.
 *
 * All varints use their shortest form. A frame is unencodable when a value exceeds 2^62-1,
 * when it would fail the decoder's checks (empty NEW_TOKEN, NEW_CONNECTION_ID with a CID of
 * 0 bytes or Retire Prior To above Sequence Number, Maximum Streams above 2^60, offset +
 * length above 2^62-1, ACK without ranges or with ranges not descending/non-adjacent/within
 * 0..2^62-1, PADDING of 0 bytes), when a STREAM frame without the OFF bit has a non-zero
 * m_offset, when m_data is null with a non-zero m_dataLength, or when the type is unknown.
 * \param frame the frame
 * \return bytes QuicEncodeFrame() would append, or 0
 */
size_t QuicFrameEncodedSize(const QuicFrame& frame);

/**
 * \brief Append a frame to a buffer.
 * \param writer the destination
 * \param frame the frame
 * \return false, writing nothing, if QuicFrameEncodedSize() is 0
 */
bool QuicEncodeFrame(QuicBufferWriter& writer, const QuicFrame& frame);

/**
 * \brief Largest Stream Data length that fits a STREAM frame into a byte budget.
 * \param streamId Stream ID
 * \param offset Offset (the OFF bit is assumed set when it is not 0)
 * \param budget bytes available for the whole frame
 * \param withLength whether the frame carries a Length field
 * \return the data length; 0 if not even one data byte fits (an empty frame may still fit)
 */
size_t QuicStreamFrameMaxDataLength(uint64_t streamId,
                                    uint64_t offset,
                                    size_t budget,
                                    bool withLength);

/**
 * \brief Largest Crypto Data length that fits a CRYPTO frame into a byte budget.
 * \param offset Offset
 * \param budget bytes available for the whole frame
 * \return the data length; 0 if not even one data byte fits
 */
size_t QuicCryptoFrameMaxDataLength(uint64_t offset, size_t budget);

/**
 * \brief Whether a frame type may appear in a packet type: RFC 9000 §12.4 Table 3, "Pkts".
 *
 * I = Initial, H = Handshake, 0 = 0-RTT, 1 = 1-RTT; Retry and Version Negotiation packets
 * carry no frames. CONNECTION_CLOSE 0x1c is allowed in all four, 0x1d only in 0-RTT/1-RTT
 * ("ih01"). RETIRE_CONNECTION_ID is allowed in 0-RTT by the table, although §12.5 notes it
 * cannot be sent there and lets a server treat it as PROTOCOL_VIOLATION: strictZeroRtt = true
 * applies that MAY (ACK, CRYPTO, HANDSHAKE_DONE, NEW_TOKEN and PATH_RESPONSE, the other
 * frames §12.5 lists, are already excluded from 0-RTT by the table). Unknown types: false.
 * \param frameType the frame type
 * \param packetType the packet type
 * \param strictZeroRtt also refuse RETIRE_CONNECTION_ID in 0-RTT (§12.5 MAY, servers only)
 * \return true if the frame is allowed
 */
bool QuicFrameAllowedIn(QuicFrameType frameType,
                        QuicPacketType packetType,
                        bool strictZeroRtt = false);

/**
 * \brief Probing frame (§9.1; "P" in Table 3): PADDING, NEW_CONNECTION_ID, PATH_CHALLENGE,
 * PATH_RESPONSE. A packet made only of these does not move the peer address (MIG-08).
 * \param type the frame type
 * \return true for a probing frame
 */
bool QuicFrameIsProbing(QuicFrameType type);

/**
 * \brief Ack-eliciting frame (§1.2, §13.2): every frame but ACK, PADDING and CONNECTION_CLOSE.
 *
 * Unknown types return true: an extension frame MUST cause an ACK to be sent (§19.21).
 * \param type the frame type
 * \return true if a packet carrying it is ack-eliciting
 */
bool QuicFrameIsAckEliciting(QuicFrameType type);

/**
 * \brief Frame that makes its packet count toward bytes in flight (RFC 9002 §2, RFC 9000
 * Table 3 "C"): ack-eliciting frames and PADDING.
 * \param type the frame type
 * \return true if a packet carrying it is in flight
 */
bool QuicFrameCountsInFlight(QuicFrameType type);

/**
 * \brief RFC 9000 name of a frame type, e.g. "PATH_CHALLENGE" (Table 3; all STREAM types give
 * "STREAM", both ACK types "ACK", and so on). Unknown types give "UNKNOWN(0x..)".
 * \param type the type (any 62-bit value)
 * \return the name
 */
std::string QuicFrameTypeName(uint64_t type);

/**
 * \brief Convenience overload of QuicFrameTypeName().
 * \param type the type
 * \return the name
 */
std::string QuicFrameTypeName(QuicFrameType type);

/**
 * \brief qlog 0.3 frame_type name (draft-ietf-quic-qlog-quic-events QuicFrameTypeName),
 * e.g. "path_challenge", "stream", "connection_close"; "unknown" for unknown types.
 * \param type the type (any 62-bit value)
 * \return the name
 */
std::string QuicFrameTypeQlogName(uint64_t type);

/**
 * \brief Convenience overload of QuicFrameTypeQlogName().
 * \param type the type
 * \return the name
 */
std::string QuicFrameTypeQlogName(QuicFrameType type);

/**
 * \ingroup quic-migration
 * \brief What the frames of one decrypted packet payload add up to.
 *
 * The classification fields describe the frames decoded before any error; act on them only
 * when m_error is NO_ERROR.
 */
struct QuicFramePacketSummary
{
    QuicTransportError m_error{QuicTransportError::NO_ERROR}; //!< first error, or NO_ERROR
    uint64_t m_errorFrameType{0}; //!< type of the frame that caused m_error (0 if unknown)
    size_t m_errorOffset{0};      //!< offset of that frame in the payload
    uint32_t m_frameTypes{0};     //!< set of QuicFrameTypeBit() of the frames seen
    size_t m_frameCount{0};       //!< frames decoded (a PADDING run counts once)
    bool m_probingOnly{false};    //!< at least one frame and all probing (§9.1, MIG-08)
    bool m_ackEliciting{false};   //!< some frame is ack-eliciting (§13.2)
    bool m_inFlight{false};       //!< the packet counts toward bytes in flight (RFC 9002 §2)

    /// \return true if m_error is NO_ERROR
    bool Ok() const
    {
        return m_error == QuicTransportError::NO_ERROR;
    }

    /// \param type a frame type \return true if a frame of exactly this type was seen
    bool Contains(QuicFrameType type) const
    {
        return (m_frameTypes & QuicFrameTypeBit(type)) != 0;
    }
};

/**
 * \ingroup quic-migration
 * \brief Walks the frames of one decrypted packet payload, checking packet-level rules.
 *
 * On top of QuicDecodeFrame() it enforces RFC 9000 §12.4: a frame type not allowed in the
 * packet type is PROTOCOL_VIOLATION (FR-12), and a payload with no frame is
 * PROTOCOL_VIOLATION. It accumulates a QuicFramePacketSummary as it goes, so a connection
 * can process frames and classify the packet (probing, ack-eliciting) in one pass:
 *
 * \code
 *   QuicFrameParser parser(payload, size, QuicPacketType::ONE_RTT);
 *   while (parser.Next(frame)) { ... }
 *   if (!parser.Summary().Ok()) { close with parser.Summary().m_error ... }
 * \endcode
 *
 * The parser holds a view of the payload; frames it yields hold views into it too.
 */
class QuicFrameParser
{
  public:
    /**
     * \param payload the decrypted packet payload
     * \param size its length
     * \param packetType the type of the packet that carried it
     * \param strictZeroRtt refuse RETIRE_CONNECTION_ID in 0-RTT (see QuicFrameAllowedIn())
     */
    QuicFrameParser(const uint8_t* payload,
                    size_t size,
                    QuicPacketType packetType,
                    bool strictZeroRtt = false);

    /**
     * \brief Decode the next frame.
     * \param frame receives the frame
     * \return true if a valid, allowed frame was decoded; false at the end of the payload or
     *         on the first error (then and afterwards Summary() is final)
     */
    bool Next(QuicFrame& frame);

    /// \return the summary so far; final once Next() has returned false
    const QuicFramePacketSummary& Summary() const
    {
        return m_summary;
    }

    /// \return true once Next() has returned false
    bool Finished() const
    {
        return m_finished;
    }

  private:
    QuicBufferReader m_reader;        //!< cursor over the payload
    QuicPacketType m_packetType;      //!< type of the carrying packet
    bool m_strictZeroRtt;             //!< §12.5 MAY for RETIRE_CONNECTION_ID in 0-RTT
    bool m_finished;                  //!< end reached or error seen
    QuicFramePacketSummary m_summary; //!< accumulated result
};

/**
 * \brief Decode every frame of a packet payload and summarise it (see QuicFrameParser).
 * \param payload the decrypted packet payload
 * \param size its length
 * \param packetType the type of the packet that carried it
 * \param scratch a frame reused for decoding (keeps ACK-range capacity across calls)
 * \param strictZeroRtt refuse RETIRE_CONNECTION_ID in 0-RTT (see QuicFrameAllowedIn())
 * \return the summary
 */
QuicFramePacketSummary QuicScanPacketFrames(const uint8_t* payload,
                                            size_t size,
                                            QuicPacketType packetType,
                                            QuicFrame& scratch,
                                            bool strictZeroRtt = false);

/**
 * \brief Convenience overload of QuicScanPacketFrames() with an internal scratch frame.
 * \param payload the decrypted packet payload
 * \param size its length
 * \param packetType the type of the packet that carried it
 * \param strictZeroRtt refuse RETIRE_CONNECTION_ID in 0-RTT
 * \return the summary
 */
QuicFramePacketSummary QuicScanPacketFrames(const uint8_t* payload,
                                            size_t size,
                                            QuicPacketType packetType,
                                            bool strictZeroRtt = false);

} // namespace ns3

#endif /* QUIC_FRAME_H */
