/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Packet protection (RFC 9001 §5, §6): HKDF, Initial secrets, AEAD payload
// protection, header protection, Retry integrity and key update, checked
// byte for byte against the examples of RFC 9001 App. A.

#include "quic-ns3-compat.h"
#include "quic-rfc9001-vectors.h"
#include "quic-test-utils.h"

#include "ns3/quic-connection-id.h"
#include "ns3/quic-packet-protection.h"
#include "ns3/test.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>
#include <vector>

using namespace ns3;

using quictest::FromHex;
using quictest::ToHex;
using namespace quictest::rfc9001;

namespace
{

/// pnOffset of the App. A.2 client Initial.
constexpr size_t CLIENT_PN_OFFSET = 18;
/// pnOffset of the App. A.3 server Initial.
constexpr size_t SERVER_PN_OFFSET = 18;

/// \param hex a hex string \return it as a connection ID (empty if invalid)
QuicConnectionId
Cid(const std::string& hex)
{
    QuicConnectionId cid;
    QuicConnectionId::FromHex(hex, cid);
    return cid;
}

/// \param s a secret \return its hex
std::string
SecretHex(const QuicSecret& s)
{
    return ToHex(s.data(), s.size());
}

/**
 * \brief Packet-number recovery of RFC 9000 App. A.3, kept local to the
 * tests so that they do not depend on quic-packet-number.
 * \param largest largest packet number received so far
 * \param truncated the Packet Number field
 * \param pnLength its length in bytes
 * \return the full packet number
 */
uint64_t
DecodePacketNumber(uint64_t largest, uint64_t truncated, size_t pnLength)
{
    const uint64_t expected = largest + 1;
    const uint64_t win = uint64_t{1} << (8 * pnLength);
    const uint64_t hwin = win / 2;
    const uint64_t mask = win - 1;
    const uint64_t candidate = (expected & ~mask) | truncated;
    if (candidate + hwin <= expected && candidate < (uint64_t{1} << 62) - win)
    {
        return candidate + win;
    }
    if (candidate > expected + hwin && candidate >= win)
    {
        return candidate - win;
    }
    return candidate;
}

/// The client Initial of App. A.2, unprotected: header + CRYPTO + PADDING.
std::vector<uint8_t>
ClientUnprotected()
{
    std::vector<uint8_t> packet = FromHex(CLIENT_HEADER);
    std::vector<uint8_t> frame = FromHex(CLIENT_CRYPTO_FRAME);
    packet.insert(packet.end(), frame.begin(), frame.end());
    packet.resize(packet.size() + (1162 - frame.size()), 0); // PADDING
    return packet;
}

/// The server Initial of App. A.3, unprotected.
std::vector<uint8_t>
ServerUnprotected()
{
    std::vector<uint8_t> packet = FromHex(SERVER_HEADER);
    std::vector<uint8_t> payload = FromHex(SERVER_PAYLOAD);
    packet.insert(packet.end(), payload.begin(), payload.end());
    return packet;
}

/**
 * \brief Both unprotect steps on a copy of a packet.
 * \param protector the receiving keys
 * \param packet the protected packet (copied)
 * \param pnOffset offset of the Packet Number field
 * \param largest largest packet number received so far
 * \param plaintext receives the whole unprotected packet
 * \param pn receives the recovered packet number
 * \param headerLength receives pnOffset + pnLength
 * \return true if both steps succeed
 */
bool
Unprotect(QuicPacketProtector& protector,
          const std::vector<uint8_t>& packet,
          size_t pnOffset,
          uint64_t largest,
          std::vector<uint8_t>& plaintext,
          uint64_t& pn,
          size_t& headerLength)
{
    plaintext = packet;
    size_t pnLength = 0;
    uint64_t truncated = 0;
    if (!protector.RemoveHeaderProtection(plaintext.data(),
                                          plaintext.size(),
                                          pnOffset,
                                          pnLength,
                                          truncated))
    {
        return false;
    }
    pn = DecodePacketNumber(largest, truncated, pnLength);
    headerLength = pnOffset + pnLength;
    size_t payloadLength = 0;
    if (!protector.Open(pn, plaintext.data(), headerLength, plaintext.size(), payloadLength))
    {
        return false;
    }
    if (payloadLength != plaintext.size() - headerLength - QUIC_AEAD_TAG_LENGTH)
    {
        return false;
    }
    plaintext.resize(headerLength + payloadLength);
    return true;
}

/// \return a protector with the App. A client Initial keys
QuicPacketProtector
ClientInitialProtector()
{
    QuicPacketKeys client;
    QuicPacketKeys server;
    QuicDeriveInitialKeys(Cid(RFC_DCID), client, server);
    return QuicPacketProtector(client);
}

/// \return a protector with the App. A server Initial keys
QuicPacketProtector
ServerInitialProtector()
{
    QuicPacketKeys client;
    QuicPacketKeys server;
    QuicDeriveInitialKeys(Cid(RFC_DCID), client, server);
    return QuicPacketProtector(server);
}

} // namespace

/**
 * \ingroup quic-migration-tests
 * HKDF-Extract against RFC 5869 App. A.1 and A.3 (SHA-256), and argument
 * checks of HKDF-Expand-Label.
 */
class QuicHkdfTestCase : public TestCase
{
  public:
    QuicHkdfTestCase()
        : TestCase("HKDF-Extract (RFC 5869 A.1, A.3) and HKDF-Expand-Label limits")
    {
    }

  private:
    void DoRun() override
    {
        const std::vector<uint8_t> ikm(22, 0x0b);
        const std::vector<uint8_t> salt = FromHex("000102030405060708090a0b0c");
        QuicSecret prk;
        NS_TEST_ASSERT_MSG_EQ(
            QuicHkdfExtract(salt.data(), salt.size(), ikm.data(), ikm.size(), prk),
            true,
            "extract");
        NS_TEST_ASSERT_MSG_EQ(SecretHex(prk),
                              "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
                              "RFC 5869 A.1 PRK");
        NS_TEST_ASSERT_MSG_EQ(QuicHkdfExtract(nullptr, 0, ikm.data(), ikm.size(), prk),
                              true,
                              "extract, no salt");
        NS_TEST_ASSERT_MSG_EQ(SecretHex(prk),
                              "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
                              "RFC 5869 A.3 PRK");
        // An empty IKM is legal: PRK = HMAC-SHA256("salt", "").
        const uint8_t saltText[] = {'s', 'a', 'l', 't'};
        NS_TEST_ASSERT_MSG_EQ(QuicHkdfExtract(saltText, sizeof(saltText), nullptr, 0, prk),
                              true,
                              "extract, empty IKM");
        NS_TEST_ASSERT_MSG_EQ(SecretHex(prk),
                              "379d7f7966f400cb6e3c0b2cca4bf8a2db03b8c81fef8020015b5a3103c30460",
                              "empty IKM");

        uint8_t out[64];
        NS_TEST_ASSERT_MSG_EQ(QuicHkdfExpandLabel(prk, "quic key", out, 0), false, "length 0");
        NS_TEST_ASSERT_MSG_EQ(QuicHkdfExpandLabel(prk, std::string(250, 'x'), out, 16),
                              false,
                              "label longer than 249 bytes");
        NS_TEST_ASSERT_MSG_EQ(QuicHkdfExpandLabel(prk, std::string(249, 'x'), out, 16),
                              true,
                              "label of 249 bytes");
        NS_TEST_ASSERT_MSG_EQ(QuicHkdfExpandLabel(prk.data(), 16, "quic key", nullptr, 0, out, 16),
                              false,
                              "secret shorter than the hash");
        std::vector<uint8_t> big(255 * 32 + 1);
        NS_TEST_ASSERT_MSG_EQ(QuicHkdfExpandLabel(prk, "x", big.data(), big.size()),
                              false,
                              "output longer than 255 * HashLen");
        NS_TEST_ASSERT_MSG_EQ(QuicHkdfExpandLabel(prk, "x", big.data(), big.size() - 1),
                              true,
                              "output of 255 * HashLen");
        // A non-empty context changes the output.
        uint8_t a[16];
        uint8_t b[16];
        const uint8_t ctx[] = {1, 2, 3};
        QuicHkdfExpandLabel(prk.data(), prk.size(), "quic key", nullptr, 0, a, 16);
        QuicHkdfExpandLabel(prk.data(), prk.size(), "quic key", ctx, sizeof(ctx), b, 16);
        NS_TEST_ASSERT_MSG_NE(ToHex(a, 16), ToHex(b, 16), "context is bound");
    }
};

/**
 * \ingroup quic-migration-tests
 * RFC 9001 App. A.1: initial, client and server secrets and the keys derived
 * from them for DCID 0x8394c8f03e515708.
 */
class QuicInitialSecretsTestCase : public TestCase
{
  public:
    QuicInitialSecretsTestCase()
        : TestCase("RFC 9001 A.1 Initial secrets and keys")
    {
    }

  private:
    void DoRun() override
    {
        const QuicConnectionId dcid = Cid(RFC_DCID);
        NS_TEST_ASSERT_MSG_EQ(dcid.Length(), 8, "DCID");

        QuicSecret initial;
        NS_TEST_ASSERT_MSG_EQ(QuicHkdfExtract(QUIC_V1_INITIAL_SALT.data(),
                                              QUIC_V1_INITIAL_SALT.size(),
                                              dcid.Data(),
                                              dcid.Length(),
                                              initial),
                              true,
                              "extract");
        NS_TEST_ASSERT_MSG_EQ(ToHex(QUIC_V1_INITIAL_SALT.data(), QUIC_V1_INITIAL_SALT.size()),
                              "38762cf7f55934b34d179ae6a4c80cadccbb7f0a",
                              "v1 salt");
        NS_TEST_ASSERT_MSG_EQ(SecretHex(initial),
                              "7db5df06e7a69e432496adedb0085192"
                              "3595221596ae2ae9fb8115c1e9ed0a44",
                              "initial_secret");

        QuicSecret client;
        QuicSecret server;
        NS_TEST_ASSERT_MSG_EQ(QuicDeriveInitialSecrets(dcid, client, server), true, "secrets");
        NS_TEST_ASSERT_MSG_EQ(SecretHex(client),
                              "c00cf151ca5be075ed0ebfb5c80323c4"
                              "2d6b7db67881289af4008f1f6c357aea",
                              "client_initial_secret");
        NS_TEST_ASSERT_MSG_EQ(SecretHex(server),
                              "3c199828fd139efd216c155ad844cc81"
                              "fb82fa8d7446fa7d78be803acdda951b",
                              "server_initial_secret");

        QuicPacketKeys ck;
        QuicPacketKeys sk;
        NS_TEST_ASSERT_MSG_EQ(QuicDerivePacketKeys(client, ck), true, "client keys");
        NS_TEST_ASSERT_MSG_EQ(ToHex(ck.key.data(), ck.key.size()),
                              "1f369613dd76d5467730efcbe3b1a22d",
                              "client key");
        NS_TEST_ASSERT_MSG_EQ(ToHex(ck.iv.data(), ck.iv.size()),
                              "fa044b2f42a3fd3b46fb255c",
                              "client iv");
        NS_TEST_ASSERT_MSG_EQ(ToHex(ck.hp.data(), ck.hp.size()),
                              "9f50449e04a0e810283a1e9933adedd2",
                              "client hp");
        NS_TEST_ASSERT_MSG_EQ(QuicDerivePacketKeys(server, sk), true, "server keys");
        NS_TEST_ASSERT_MSG_EQ(ToHex(sk.key.data(), sk.key.size()),
                              "cf3a5331653c364c88f0f379b6067e37",
                              "server key");
        NS_TEST_ASSERT_MSG_EQ(ToHex(sk.iv.data(), sk.iv.size()),
                              "0ac1493ca1905853b0bba03e",
                              "server iv");
        NS_TEST_ASSERT_MSG_EQ(ToHex(sk.hp.data(), sk.hp.size()),
                              "c206b8d9b9f0f37644430b490eeaa314",
                              "server hp");

        // The one-call form gives the same keys.
        QuicPacketKeys ck2;
        QuicPacketKeys sk2;
        NS_TEST_ASSERT_MSG_EQ(QuicDeriveInitialKeys(dcid, ck2, sk2), true, "initial keys");
        NS_TEST_ASSERT_MSG_EQ(ToHex(ck2.key.data(), 16), ToHex(ck.key.data(), 16), "same key");
        NS_TEST_ASSERT_MSG_EQ(ToHex(sk2.hp.data(), 16), ToHex(sk.hp.data(), 16), "same hp");
    }
};

/**
 * \ingroup quic-migration-tests
 * RFC 9001 App. A.2: protect the client Initial (PN 2, 4-byte encoding) and
 * compare all 1200 bytes; unprotect the RFC's packet back to the plaintext.
 */
class QuicClientInitialTestCase : public TestCase
{
  public:
    QuicClientInitialTestCase()
        : TestCase("RFC 9001 A.2 client Initial protect and unprotect")
    {
    }

  private:
    void DoRun() override
    {
        QuicPacketProtector protector = ClientInitialProtector();
        NS_TEST_ASSERT_MSG_EQ(protector.IsReady(), true, "ready");

        const std::vector<uint8_t> unprotected = ClientUnprotected();
        const std::vector<uint8_t> expected = FromHex(CLIENT_PROTECTED);
        NS_TEST_ASSERT_MSG_EQ(unprotected.size(), 1184, "22-byte header + 1162-byte payload");
        NS_TEST_ASSERT_MSG_EQ(expected.size(), 1200, "RFC packet size");

        // Seal alone: the sample is the first 16 ciphertext bytes, and its
        // mask is the RFC's.
        std::vector<uint8_t> sealed = unprotected;
        sealed.resize(unprotected.size() + QUIC_AEAD_TAG_LENGTH);
        NS_TEST_ASSERT_MSG_EQ(protector.Seal(2, sealed.data(), 22, 1162, sealed.size()),
                              true,
                              "seal");
        NS_TEST_ASSERT_MSG_EQ(ToHex(sealed.data() + CLIENT_PN_OFFSET + 4, 16),
                              "d1b1c98dd7689fb8ec11d242b123dc9b",
                              "sample");
        uint8_t mask[5];
        NS_TEST_ASSERT_MSG_EQ(protector.ComputeMask(sealed.data() + CLIENT_PN_OFFSET + 4, mask),
                              true,
                              "mask");
        NS_TEST_ASSERT_MSG_EQ(ToHex(mask, 5), "437b9aec36", "mask");
        NS_TEST_ASSERT_MSG_EQ(
            protector.ApplyHeaderProtection(sealed.data(), sealed.size(), CLIENT_PN_OFFSET),
            true,
            "header protection");
        NS_TEST_ASSERT_MSG_EQ(ToHex(sealed.data(), 22),
                              "c000000001088394c8f03e5157080000449e7b9aec34",
                              "protected header");
        NS_TEST_ASSERT_MSG_EQ(ToHex(sealed), ToHex(expected), "Seal + ApplyHeaderProtection");

        // Protect() in one call, on a raw buffer and on a vector.
        std::vector<uint8_t> buffer = unprotected;
        buffer.resize(1300, 0xee);
        NS_TEST_ASSERT_MSG_EQ(protector.Protect(2,
                                                buffer.data(),
                                                CLIENT_PN_OFFSET,
                                                unprotected.size(),
                                                buffer.size()),
                              true,
                              "protect");
        NS_TEST_ASSERT_MSG_EQ(ToHex(buffer.data(), 1200), ToHex(expected), "protected packet");
        NS_TEST_ASSERT_MSG_EQ(static_cast<int>(buffer[1200]), 0xee, "nothing written past 1200");
        std::vector<uint8_t> vec = unprotected;
        NS_TEST_ASSERT_MSG_EQ(protector.Protect(2, vec, CLIENT_PN_OFFSET), true, "protect vector");
        NS_TEST_ASSERT_MSG_EQ(ToHex(vec), ToHex(expected), "protected vector");

        // Unprotect the RFC's packet, as a server would (nothing received yet).
        QuicPacketProtector receiver = ClientInitialProtector();
        std::vector<uint8_t> plain;
        uint64_t pn = 0;
        size_t headerLength = 0;
        NS_TEST_ASSERT_MSG_EQ(
            Unprotect(receiver, expected, CLIENT_PN_OFFSET, 0, plain, pn, headerLength),
            true,
            "unprotect");
        NS_TEST_ASSERT_MSG_EQ(pn, 2, "packet number");
        NS_TEST_ASSERT_MSG_EQ(headerLength, 22, "header length");
        NS_TEST_ASSERT_MSG_EQ(ToHex(plain), ToHex(unprotected), "plaintext");

        // Out-of-place Open leaves the packet untouched.
        std::vector<uint8_t> packet = expected;
        size_t pnLength = 0;
        uint64_t truncated = 0;
        NS_TEST_ASSERT_MSG_EQ(receiver.RemoveHeaderProtection(packet.data(),
                                                              packet.size(),
                                                              CLIENT_PN_OFFSET,
                                                              pnLength,
                                                              truncated),
                              true,
                              "remove header protection");
        NS_TEST_ASSERT_MSG_EQ(pnLength, 4, "pn length");
        NS_TEST_ASSERT_MSG_EQ(truncated, 2, "truncated pn");
        const std::vector<uint8_t> headerRemoved = packet;
        std::vector<uint8_t> out(1162);
        size_t payloadLength = 0;
        NS_TEST_ASSERT_MSG_EQ(
            receiver
                .Open(2, packet.data(), 22, packet.size(), out.data(), out.size(), payloadLength),
            true,
            "open out of place");
        NS_TEST_ASSERT_MSG_EQ(payloadLength, 1162, "payload length");
        NS_TEST_ASSERT_MSG_EQ(
            ToHex(out),
            ToHex(std::vector<uint8_t>(unprotected.begin() + 22, unprotected.end())),
            "payload");
        NS_TEST_ASSERT_MSG_EQ(ToHex(packet), ToHex(headerRemoved), "input untouched");
        NS_TEST_ASSERT_MSG_EQ(
            receiver.Open(2, packet.data(), 22, packet.size(), out.data(), 1161, payloadLength),
            false,
            "output buffer too small");
    }
};

/**
 * \ingroup quic-migration-tests
 * RFC 9001 App. A.3: the server Initial (PN 1, 2-byte encoding, pnOffset 18).
 */
class QuicServerInitialTestCase : public TestCase
{
  public:
    QuicServerInitialTestCase()
        : TestCase("RFC 9001 A.3 server Initial protect and unprotect")
    {
    }

  private:
    void DoRun() override
    {
        QuicPacketProtector protector = ServerInitialProtector();
        const std::vector<uint8_t> unprotected = ServerUnprotected();
        const std::vector<uint8_t> expected = FromHex(SERVER_PROTECTED);
        NS_TEST_ASSERT_MSG_EQ(unprotected.size(), 119, "20-byte header + 99-byte payload");
        NS_TEST_ASSERT_MSG_EQ(expected.size(), 135, "RFC packet size");

        std::vector<uint8_t> sealed = unprotected;
        sealed.resize(135);
        NS_TEST_ASSERT_MSG_EQ(protector.Seal(1, sealed.data(), 20, 99, sealed.size()),
                              true,
                              "seal");
        NS_TEST_ASSERT_MSG_EQ(ToHex(sealed.data() + SERVER_PN_OFFSET + 4, 16),
                              "2cd0991cd25b0aac406a5816b6394100",
                              "sample from the third protected byte");
        uint8_t mask[5];
        protector.ComputeMask(sealed.data() + SERVER_PN_OFFSET + 4, mask);
        NS_TEST_ASSERT_MSG_EQ(ToHex(mask, 5), "2ec0d8356a", "mask");

        std::vector<uint8_t> packet = unprotected;
        NS_TEST_ASSERT_MSG_EQ(protector.Protect(1, packet, SERVER_PN_OFFSET), true, "protect");
        NS_TEST_ASSERT_MSG_EQ(ToHex(packet.data(), 20),
                              "cf000000010008f067a5502a4262b5004075c0d9",
                              "protected header");
        NS_TEST_ASSERT_MSG_EQ(ToHex(packet), ToHex(expected), "protected packet");

        // A client that has received nothing from the server yet.
        QuicPacketProtector receiver = ServerInitialProtector();
        std::vector<uint8_t> plain;
        uint64_t pn = 0;
        size_t headerLength = 0;
        NS_TEST_ASSERT_MSG_EQ(
            Unprotect(receiver, expected, SERVER_PN_OFFSET, 0, plain, pn, headerLength),
            true,
            "unprotect");
        NS_TEST_ASSERT_MSG_EQ(pn, 1, "packet number");
        NS_TEST_ASSERT_MSG_EQ(headerLength, 20, "header length");
        NS_TEST_ASSERT_MSG_EQ(ToHex(plain), ToHex(unprotected), "plaintext");

        // The packet number must match the encoded one; a mismatch is refused
        // before anything is written.
        std::vector<uint8_t> wrong = unprotected;
        NS_TEST_ASSERT_MSG_EQ(protector.Protect(2, wrong, SERVER_PN_OFFSET),
                              false,
                              "PN 2 with field 0x0001");
        NS_TEST_ASSERT_MSG_EQ(ToHex(wrong), ToHex(unprotected), "vector unchanged");
        NS_TEST_ASSERT_MSG_EQ(protector.Protect(0x10001, wrong, SERVER_PN_OFFSET),
                              true,
                              "PN 0x10001 has the same low 16 bits");
    }
};

/**
 * \ingroup quic-migration-tests
 * RFC 9001 App. A.4: the Retry Integrity Tag.
 */
class QuicRetryIntegrityTestCase : public TestCase
{
  public:
    QuicRetryIntegrityTestCase()
        : TestCase("RFC 9001 A.4 Retry integrity tag")
    {
    }

  private:
    void DoRun() override
    {
        const QuicConnectionId odcid = Cid(RFC_DCID);
        const std::vector<uint8_t> retry = FromHex(RETRY_PACKET);
        NS_TEST_ASSERT_MSG_EQ(retry.size(), 36, "Retry size");

        uint8_t tag[QUIC_RETRY_INTEGRITY_TAG_LENGTH];
        NS_TEST_ASSERT_MSG_EQ(QuicComputeRetryIntegrityTag(odcid, retry.data(), 20, tag),
                              true,
                              "compute");
        NS_TEST_ASSERT_MSG_EQ(ToHex(tag, 16), "04a265ba2eff4d829058fb3f0f2496ba", "tag");
        NS_TEST_ASSERT_MSG_EQ(QuicVerifyRetryIntegrityTag(odcid, retry.data(), retry.size()),
                              true,
                              "verify");

        for (size_t i = 0; i < retry.size(); ++i)
        {
            std::vector<uint8_t> bad = retry;
            bad[i] ^= 0x01;
            NS_TEST_ASSERT_MSG_EQ(QuicVerifyRetryIntegrityTag(odcid, bad.data(), bad.size()),
                                  false,
                                  "byte " << i << " altered");
        }
        NS_TEST_ASSERT_MSG_EQ(
            QuicVerifyRetryIntegrityTag(Cid("8394c8f03e515709"), retry.data(), retry.size()),
            false,
            "other ODCID");
        NS_TEST_ASSERT_MSG_EQ(QuicVerifyRetryIntegrityTag(odcid, retry.data(), 15),
                              false,
                              "shorter than a tag");
        NS_TEST_ASSERT_MSG_EQ(QuicVerifyRetryIntegrityTag(odcid, retry.data(), 35),
                              false,
                              "truncated");
    }
};

/**
 * \ingroup quic-migration-tests
 * Header protection masks exactly the protected bits (RFC 9001 §5.4.1): the
 * low 4 bits of a long header's first byte, the low 5 of a short header's,
 * and only the pnLength packet-number bytes. The App. A masks cannot tell
 * 0x0f from 0x1f (bit 4 of both mask bytes is 0), so many samples are tried.
 */
class QuicHeaderProtectionBitsTestCase : public TestCase
{
  public:
    QuicHeaderProtectionBitsTestCase()
        : TestCase("Header protection masks only the protected bits")
    {
    }

  private:
    void DoRun() override
    {
        QuicPacketProtector protector = ClientInitialProtector();
        const std::vector<uint8_t> dcid = FromHex(RFC_DCID);
        for (int form = 0; form < 2; ++form)
        {
            const bool isLong = form == 1;
            const uint8_t protectedBits = isLong ? 0x0f : 0x1f;
            uint8_t changed = 0;
            for (uint64_t pn = 0; pn < 64; ++pn)
            {
                const size_t pnLength = 1 + pn % 4;
                // Long: Handshake packet with empty SCID and a 2-byte Length
                // field; short: spin bit set, key phase 0.
                std::vector<uint8_t> packet;
                size_t pnOffset;
                const size_t payloadLength = 24;
                if (isLong)
                {
                    packet = {static_cast<uint8_t>(0xe0 | (pnLength - 1)), 0, 0, 0, 1, 8};
                    packet.insert(packet.end(), dcid.begin(), dcid.end());
                    const size_t length = pnLength + payloadLength + QUIC_AEAD_TAG_LENGTH;
                    packet.push_back(0); // SCID Len
                    packet.push_back(static_cast<uint8_t>(0x40 | (length >> 8)));
                    packet.push_back(static_cast<uint8_t>(length));
                }
                else
                {
                    packet = {static_cast<uint8_t>(0x60 | (pnLength - 1))};
                    packet.insert(packet.end(), dcid.begin(), dcid.end());
                }
                pnOffset = packet.size();
                for (size_t i = pnLength; i > 0; --i)
                {
                    packet.push_back(static_cast<uint8_t>(pn >> (8 * (i - 1))));
                }
                packet.resize(packet.size() + payloadLength, static_cast<uint8_t>(pn));
                const std::vector<uint8_t> unprotected = packet;
                NS_TEST_ASSERT_MSG_EQ(protector.Protect(pn, packet, pnOffset), true, "protect");
                NS_TEST_ASSERT_MSG_EQ(static_cast<int>(packet[0] & ~protectedBits),
                                      static_cast<int>(unprotected[0] & ~protectedBits),
                                      "unprotected bits of the first byte kept");
                changed |= static_cast<uint8_t>(packet[0] ^ unprotected[0]);
                NS_TEST_ASSERT_MSG_EQ(ToHex(packet.data() + 1, pnOffset - 1),
                                      ToHex(unprotected.data() + 1, pnOffset - 1),
                                      "rest of the header in clear");

                // Remove header protection only: the header comes back, and
                // the bytes after the packet number are not touched.
                std::vector<uint8_t> received = packet;
                size_t decodedLength = 0;
                uint64_t truncated = 0;
                NS_TEST_ASSERT_MSG_EQ(protector.RemoveHeaderProtection(received.data(),
                                                                       received.size(),
                                                                       pnOffset,
                                                                       decodedLength,
                                                                       truncated),
                                      true,
                                      "remove");
                NS_TEST_ASSERT_MSG_EQ(decodedLength, pnLength, "pn length");
                NS_TEST_ASSERT_MSG_EQ(truncated, pn, "truncated pn");
                NS_TEST_ASSERT_MSG_EQ(ToHex(received.data(), pnOffset + pnLength),
                                      ToHex(unprotected.data(), pnOffset + pnLength),
                                      "header restored");
                const size_t rest = pnOffset + pnLength;
                NS_TEST_ASSERT_MSG_EQ(ToHex(received.data() + rest, received.size() - rest),
                                      ToHex(packet.data() + rest, packet.size() - rest),
                                      "ciphertext untouched");
            }
            // Over 64 random masks every protected bit flips at least once.
            NS_TEST_ASSERT_MSG_EQ(static_cast<int>(changed),
                                  static_cast<int>(protectedBits),
                                  (isLong ? "long" : "short") << " header: protected bits");
        }
    }
};

/**
 * \ingroup quic-migration-tests
 * Altered packets, wrong keys and short packets are rejected cleanly.
 */
class QuicTamperingTestCase : public TestCase
{
  public:
    QuicTamperingTestCase()
        : TestCase("Tampered packets, wrong keys and short packets fail")
    {
    }

  private:
    /**
     * \param protector receiving keys
     * \param packet a protected packet
     * \param position byte to alter
     * \param bits XOR mask
     * \return true if unprotecting the altered packet fails
     */
    static bool AlteredFails(QuicPacketProtector& protector,
                             const std::vector<uint8_t>& packet,
                             size_t position,
                             uint8_t bits)
    {
        std::vector<uint8_t> bad = packet;
        bad[position] ^= bits;
        std::vector<uint8_t> plain;
        uint64_t pn = 0;
        size_t headerLength = 0;
        return !Unprotect(protector, bad, 18, 0, plain, pn, headerLength);
    }

    void DoRun() override
    {
        QuicPacketProtector server = ServerInitialProtector();
        QuicPacketProtector client = ClientInitialProtector();
        const std::vector<uint8_t> serverPacket = FromHex(SERVER_PROTECTED);
        const std::vector<uint8_t> clientPacket = FromHex(CLIENT_PROTECTED);

        // A.3: every byte, header and payload and tag, two different bits.
        for (size_t i = 0; i < serverPacket.size(); ++i)
        {
            NS_TEST_ASSERT_MSG_EQ(AlteredFails(server, serverPacket, i, 0x01),
                                  true,
                                  "A.3 byte " << i << " ^ 0x01");
            NS_TEST_ASSERT_MSG_EQ(AlteredFails(server, serverPacket, i, 0x80),
                                  true,
                                  "A.3 byte " << i << " ^ 0x80");
        }
        // A.2: every header byte, then a sample of payload and tag bytes.
        for (size_t i = 0; i < clientPacket.size(); i += (i < 40 || i >= 1180) ? 1 : 37)
        {
            NS_TEST_ASSERT_MSG_EQ(AlteredFails(client, clientPacket, i, 0x01),
                                  true,
                                  "A.2 byte " << i << " ^ 0x01");
        }

        // The untouched packets still pass (the loop used copies).
        std::vector<uint8_t> plain;
        uint64_t pn = 0;
        size_t headerLength = 0;
        NS_TEST_ASSERT_MSG_EQ(Unprotect(server, serverPacket, 18, 0, plain, pn, headerLength),
                              true,
                              "original");

        // Wrong keys: the client's keys on the server's packet, and the
        // other way round.
        NS_TEST_ASSERT_MSG_EQ(Unprotect(client, serverPacket, 18, 0, plain, pn, headerLength),
                              false,
                              "client keys on server packet");
        NS_TEST_ASSERT_MSG_EQ(Unprotect(server, clientPacket, 18, 0, plain, pn, headerLength),
                              false,
                              "server keys on client packet");
        // Initial keys of another DCID.
        QuicPacketKeys otherClient;
        QuicPacketKeys otherServer;
        QuicDeriveInitialKeys(Cid("0001020304050607"), otherClient, otherServer);
        QuicPacketProtector other(otherServer);
        NS_TEST_ASSERT_MSG_EQ(Unprotect(other, serverPacket, 18, 0, plain, pn, headerLength),
                              false,
                              "keys of another DCID");

        // The right header but the wrong packet number: the nonce differs.
        std::vector<uint8_t> packet = serverPacket;
        size_t pnLength = 0;
        uint64_t truncated = 0;
        server.RemoveHeaderProtection(packet.data(), packet.size(), 18, pnLength, truncated);
        size_t payloadLength = 0;
        NS_TEST_ASSERT_MSG_EQ(server.Open(0x10001, packet.data(), 20, packet.size(), payloadLength),
                              false,
                              "wrong full packet number");
        // A failed in-place open leaves no unauthenticated plaintext behind.
        NS_TEST_ASSERT_MSG_EQ(ToHex(packet.data() + 20, 99),
                              ToHex(std::vector<uint8_t>(99, 0)),
                              "payload zeroed on failure");
        NS_TEST_ASSERT_MSG_EQ(ToHex(packet.data() + 119, 16),
                              ToHex(serverPacket.data() + 119, 16),
                              "tag not written");

        // Too short to sample: pnOffset + 4 + 16 bytes are needed.
        std::vector<uint8_t> shortPacket(serverPacket.begin(), serverPacket.begin() + 18 + 19);
        const std::vector<uint8_t> shortCopy = shortPacket;
        NS_TEST_ASSERT_MSG_EQ(server.RemoveHeaderProtection(shortPacket.data(),
                                                            shortPacket.size(),
                                                            18,
                                                            pnLength,
                                                            truncated),
                              false,
                              "19 bytes after pnOffset");
        NS_TEST_ASSERT_MSG_EQ(ToHex(shortPacket), ToHex(shortCopy), "short packet untouched");
        NS_TEST_ASSERT_MSG_EQ(
            server.ApplyHeaderProtection(shortPacket.data(), shortPacket.size(), 18),
            false,
            "apply on a short packet");
        NS_TEST_ASSERT_MSG_EQ(
            server.RemoveHeaderProtection(shortPacket.data(), 10, 18, pnLength, truncated),
            false,
            "pnOffset past the end");
        std::vector<uint8_t> exact(serverPacket.begin(), serverPacket.begin() + 18 + 20);
        NS_TEST_ASSERT_MSG_EQ(
            server.RemoveHeaderProtection(exact.data(), exact.size(), 18, pnLength, truncated),
            true,
            "exactly pnOffset + 20 bytes can be sampled");
        NS_TEST_ASSERT_MSG_EQ(server.Open(1, exact.data(), 20, exact.size(), payloadLength),
                              false,
                              "but the truncated packet does not open");
        NS_TEST_ASSERT_MSG_EQ(server.Open(1, exact.data(), 30, exact.size(), payloadLength),
                              false,
                              "shorter than header + tag");

        // Protect refuses a payload too short to sample (1-byte PN and
        // 2 payload bytes give 19 bytes after pnOffset), and a small buffer.
        std::vector<uint8_t> tiny = FromHex("40 0102030405060708 07 0100");
        NS_TEST_ASSERT_MSG_EQ(server.Protect(7, tiny, 9), false, "payload too short to sample");
        NS_TEST_ASSERT_MSG_EQ(tiny.size(), 12, "vector unchanged");
        tiny.push_back(0x00);
        NS_TEST_ASSERT_MSG_EQ(server.Protect(7, tiny, 9), true, "3-byte payload is enough");
        std::vector<uint8_t> buffer = ServerUnprotected();
        const std::vector<uint8_t> bufferCopy = buffer;
        buffer.resize(119 + 15);
        NS_TEST_ASSERT_MSG_EQ(server.Protect(1, buffer.data(), 18, 119, buffer.size()),
                              false,
                              "no room for the tag");
        NS_TEST_ASSERT_MSG_EQ(ToHex(buffer.data(), 119), ToHex(bufferCopy), "buffer untouched");
        NS_TEST_ASSERT_MSG_EQ(server.Seal(1, buffer.data(), 20, 99, buffer.size()),
                              false,
                              "seal without room for the tag");
        NS_TEST_ASSERT_MSG_EQ(
            server.Protect(QUIC_MAX_PACKET_NUMBER + 1, buffer.data(), 18, 119, 200),
            false,
            "packet number above 2^62-1");

        // A protector without keys does nothing.
        QuicPacketProtector none;
        NS_TEST_ASSERT_MSG_EQ(none.IsReady(), false, "not ready");
        std::vector<uint8_t> copy = bufferCopy;
        NS_TEST_ASSERT_MSG_EQ(none.Protect(1, copy, 18), false, "no keys");
        NS_TEST_ASSERT_MSG_EQ(
            none.RemoveHeaderProtection(packet.data(), packet.size(), 18, pnLength, truncated),
            false,
            "no keys");
    }
};

/**
 * \ingroup quic-migration-tests
 * Key update (RFC 9001 §6): "quic ku" and the key derivations checked against
 * the SHA-256 values of App. A.5, the nonce of App. A.5, then a round trip
 * of short-header packets with AES-128-GCM next-phase keys.
 */
class QuicKeyUpdateTestCase : public TestCase
{
  public:
    QuicKeyUpdateTestCase()
        : TestCase("Key update: quic ku (A.5 values), next-phase round trip")
    {
    }

  private:
    void DoRun() override
    {
        // App. A.5 (TLS_CHACHA20_POLY1305_SHA256 uses SHA-256 as well, so
        // its key schedule values check the HKDF-Expand-Label lengths used
        // by other cipher suites too).
        std::vector<uint8_t> raw = FromHex("9ac312a7f877468ebe69422748ad00a1"
                                           "5443f18203a07d6060f688f30f21632b");
        QuicSecret secret;
        std::copy(raw.begin(), raw.end(), secret.begin());
        uint8_t out[32];
        NS_TEST_ASSERT_MSG_EQ(QuicHkdfExpandLabel(secret, "quic key", out, 32), true, "key");
        NS_TEST_ASSERT_MSG_EQ(ToHex(out, 32),
                              "c6d98ff3441c3fe1b2182094f69caa2e"
                              "d4b716b65488960a7a984979fb23e1c8",
                              "A.5 key");
        NS_TEST_ASSERT_MSG_EQ(QuicHkdfExpandLabel(secret, "quic iv", out, 12), true, "iv");
        NS_TEST_ASSERT_MSG_EQ(ToHex(out, 12), "e0459b3474bdd0e44a41c144", "A.5 iv");
        NS_TEST_ASSERT_MSG_EQ(QuicHkdfExpandLabel(secret, "quic hp", out, 32), true, "hp");
        NS_TEST_ASSERT_MSG_EQ(ToHex(out, 32),
                              "25a282b9e82f06f21f488917a4fc8f1b"
                              "73573685608597d0efcb076b0ab7a7a4",
                              "A.5 hp");
        QuicSecret next;
        NS_TEST_ASSERT_MSG_EQ(QuicDeriveNextSecret(secret, next), true, "ku");
        NS_TEST_ASSERT_MSG_EQ(SecretHex(next),
                              "1223504755036d556342ee9361d25342"
                              "1a826c9ecdf3c7148684b36b714881f9",
                              "A.5 ku");
        QuicSecret inPlace = secret;
        QuicDeriveNextSecret(inPlace, inPlace);
        NS_TEST_ASSERT_MSG_EQ(SecretHex(inPlace), SecretHex(next), "next secret in place");

        // A.5 nonce: IV XOR packet number 654360564.
        std::array<uint8_t, QUIC_AEAD_IV_LENGTH> iv;
        raw = FromHex("e0459b3474bdd0e44a41c144");
        std::copy(raw.begin(), raw.end(), iv.begin());
        uint8_t nonce[QUIC_AEAD_IV_LENGTH];
        NS_TEST_ASSERT_MSG_EQ(QuicComputeNonce(iv, 654360564, nonce), true, "nonce");
        NS_TEST_ASSERT_MSG_EQ(ToHex(nonce, 12), "e0459b3474bdd0e46d417eb0", "A.5 nonce");
        NS_TEST_ASSERT_MSG_EQ(QuicComputeNonce(iv, QUIC_MAX_PACKET_NUMBER + 1, nonce),
                              false,
                              "PN out of range");

        // AES-128-GCM next phase, from an arbitrary 1-RTT secret (the
        // client Initial secret stands in for one).
        QuicSecret client;
        QuicSecret server;
        QuicDeriveInitialSecrets(Cid(RFC_DCID), client, server);
        QuicPacketKeys keys0;
        QuicDerivePacketKeys(client, keys0);
        QuicSecret secret1;
        QuicPacketKeys keys1;
        NS_TEST_ASSERT_MSG_EQ(QuicDeriveNextPhaseKeys(client, keys0, secret1, keys1),
                              true,
                              "next phase");
        QuicSecret expectedSecret1;
        QuicDeriveNextSecret(client, expectedSecret1);
        NS_TEST_ASSERT_MSG_EQ(SecretHex(secret1), SecretHex(expectedSecret1), "next secret");
        QuicPacketKeys fromSecret1;
        QuicDerivePacketKeys(secret1, fromSecret1);
        NS_TEST_ASSERT_MSG_EQ(ToHex(keys1.key.data(), 16),
                              ToHex(fromSecret1.key.data(), 16),
                              "key from the next secret");
        NS_TEST_ASSERT_MSG_EQ(ToHex(keys1.iv.data(), 12),
                              ToHex(fromSecret1.iv.data(), 12),
                              "iv from the next secret");
        NS_TEST_ASSERT_MSG_EQ(ToHex(keys1.hp.data(), 16),
                              ToHex(keys0.hp.data(), 16),
                              "hp is not updated");
        NS_TEST_ASSERT_MSG_NE(ToHex(keys1.key.data(), 16), ToHex(keys0.key.data(), 16), "new key");

        QuicPacketProtector sender0(keys0);
        QuicPacketProtector sender1(keys1);
        QuicPacketProtector receiver0(keys0);
        QuicPacketProtector receiver1(keys1);

        // Short header: 0 1 S R R K P P, 8-byte DCID, PN; phase 1 sets K.
        const std::vector<uint8_t> dcid = FromHex(RFC_DCID);
        const std::string text = "key update round trip";
        for (size_t pnLength = 1; pnLength <= 4; ++pnLength)
        {
            const uint64_t pn = 0x1234567 + pnLength;
            std::vector<uint8_t> packet;
            packet.push_back(static_cast<uint8_t>(0x40 | 0x04 | (pnLength - 1)));
            packet.insert(packet.end(), dcid.begin(), dcid.end());
            for (size_t i = pnLength; i > 0; --i)
            {
                packet.push_back(static_cast<uint8_t>(pn >> (8 * (i - 1))));
            }
            packet.insert(packet.end(), text.begin(), text.end());
            const std::vector<uint8_t> unprotected = packet;
            NS_TEST_ASSERT_MSG_EQ(sender1.Protect(pn, packet, 9), true, "protect");
            NS_TEST_ASSERT_MSG_EQ(packet.size(), unprotected.size() + 16, "tag appended");

            std::vector<uint8_t> plain;
            uint64_t decoded = 0;
            size_t headerLength = 0;
            NS_TEST_ASSERT_MSG_EQ(
                Unprotect(receiver1, packet, 9, pn - 1, plain, decoded, headerLength),
                true,
                "next-phase keys open, pnLength " << pnLength);
            NS_TEST_ASSERT_MSG_EQ(decoded, pn, "packet number");
            NS_TEST_ASSERT_MSG_EQ(headerLength, 9 + pnLength, "header length");
            NS_TEST_ASSERT_MSG_EQ(ToHex(plain), ToHex(unprotected), "plaintext");
            NS_TEST_ASSERT_MSG_EQ(static_cast<int>(plain[0] & 0x04), 0x04, "key phase bit");
            // The header protection key is shared, so the old keys reveal
            // the same header, but the payload does not open.
            NS_TEST_ASSERT_MSG_EQ(
                Unprotect(receiver0, packet, 9, pn - 1, plain, decoded, headerLength),
                false,
                "current-phase keys fail");
            NS_TEST_ASSERT_MSG_EQ(decoded, pn, "same header protection");

            std::vector<uint8_t> old = unprotected;
            old[0] = static_cast<uint8_t>(old[0] & ~0x04);
            sender0.Protect(pn, old, 9);
            NS_TEST_ASSERT_MSG_EQ(
                Unprotect(receiver1, old, 9, pn - 1, plain, decoded, headerLength),
                false,
                "next-phase keys do not open phase-0 packets");
            NS_TEST_ASSERT_MSG_EQ(
                Unprotect(receiver0, old, 9, pn - 1, plain, decoded, headerLength),
                true,
                "phase-0 keys do");
        }

        // Moving hands over the contexts.
        QuicPacketProtector moved(std::move(sender1));
        NS_TEST_ASSERT_MSG_EQ(moved.IsReady(), true, "moved-to is ready");
        NS_TEST_ASSERT_MSG_EQ(sender1.IsReady(), false, "moved-from is not");
        std::vector<uint8_t> packet = FromHex("41 8394c8f03e515708 0005 000000000000000000000000");
        NS_TEST_ASSERT_MSG_EQ(sender1.Protect(5, packet, 9), false, "moved-from fails cleanly");
        NS_TEST_ASSERT_MSG_EQ(moved.Protect(5, packet, 9), true, "moved-to protects");
        receiver0 = std::move(receiver1);
        std::vector<uint8_t> plain;
        uint64_t decoded = 0;
        size_t headerLength = 0;
        NS_TEST_ASSERT_MSG_EQ(Unprotect(receiver0, packet, 9, 4, plain, decoded, headerLength),
                              true,
                              "move-assigned protector opens with the next keys");
        NS_TEST_ASSERT_MSG_EQ(decoded, 5, "packet number");
        // Re-keying an existing protector reuses its contexts.
        NS_TEST_ASSERT_MSG_EQ(receiver0.Init(keys0), true, "re-init");
        NS_TEST_ASSERT_MSG_EQ(Unprotect(receiver0, packet, 9, 4, plain, decoded, headerLength),
                              false,
                              "re-keyed to phase 0");
    }
};

/**
 * \ingroup quic-migration-tests
 * Packet protection unit tests (RFC 9001 §5, §6, App. A).
 */
class QuicPacketProtectionTestSuite : public TestSuite
{
  public:
    QuicPacketProtectionTestSuite()
        : TestSuite("quic-packet-protection", QUIC_SUITE_UNIT)
    {
        AddTestCase(new QuicHkdfTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicInitialSecretsTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicClientInitialTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicServerInitialTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicRetryIntegrityTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicHeaderProtectionBitsTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicTamperingTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicKeyUpdateTestCase, QUIC_TEST_QUICK);
    }
};

static QuicPacketProtectionTestSuite
    g_quicPacketProtectionTestSuite; //!< Static variable for test initialization
