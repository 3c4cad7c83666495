/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The TLS 1.3 handshake model (RFC 8446; RFC 9001 §4, §8): the RFC 8448 §3 key
// schedule vectors, in-memory client/server handshakes fragmented at arbitrary
// points, certificate generation, determinism, and malformed input (alerts and
// a no-crash fuzz loop). Requirement rows: HS-01 (handshake complete).

#include "quic-ns3-compat.h"
#include "quic-test-utils.h"

#include "ns3/quic-tls.h"
#include "ns3/test.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <string>
#include <vector>

using namespace ns3;

using quictest::FromHex;
using quictest::ToHex;

namespace
{

// RFC 8448 §3 "Simple 1-RTT Handshake": the handshake messages as published.
const char* const RFC8448_CH =
    "010000c00303cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece70000"
    "06130113031302010000910000000b0009000006736572766572ff01000100000a00140012001d00"
    "17001800190100010101020103010400230000003300260024001d002099381de560e4bd43d23d8e"
    "435a7dbafeb3c06e51c13cae4d5413691e529aaf2c002b0003020304000d0020001e040305030603"
    "020308040805080604010501060102010402050206020202002d00020101001c00024001";
const char* const RFC8448_SH =
    "020000560303a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e269280013"
    "0100002e00330024001d0020c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b0"
    "4e751f0f002b00020304";
const char* const RFC8448_EE =
    "080000240022000a00140012001d00170018001901000101010201030104001c0002400100000000";
const char* const RFC8448_CERT =
    "0b0001b9000001b50001b0308201ac30820115a003020102020102300d06092a864886f70d01010b"
    "0500300e310c300a06035504031303727361301e170d3136303733303031323335395a170d323630"
    "3733303031323335395a300e310c300a0603550403130372736130819f300d06092a864886f70d01"
    "0101050003818d0030818902818100b4bb498f8279303d980836399b36c6988c0c68de55e1bdb826"
    "d3901a2461eafd2de49a91d015abbc9a95137ace6c1af19eaa6af98c7ced43120998e187a80ee0cc"
    "b0524b1b018c3e0b63264d449a6d38e22a5fda430846748030530ef0461c8ca9d9efbfae8ea6d1d0"
    "3e2bd193eff0ab9a8002c47428a6d35a8d88d79f7f1e3f0203010001a31a301830090603551d1304"
    "023000300b0603551d0f0404030205a0300d06092a864886f70d01010b05000381810085aad2a0e5"
    "b9276b908c65f73a7267170618a54c5f8a7b337d2df7a594365417f2eae8f8a58c8f8172f9319cf3"
    "6b7fd6c55b80f21a03015156726096fd335e5e67f2dbf102702e608ccae6bec1fc63a42a99be5c3e"
    "b7107c3c54e9b9eb2bd5203b1c3b84e0a8b2f759409ba3eac9d91d402dcc0cc8f8961229ac9187b4"
    "2b4de10000";
const char* const RFC8448_CV =
    "0f000084080400805a747c5d88fa9bd2e55ab085a61015b7211f824cd484145ab3ff52f1fda8477b"
    "0b7abc90db78e2d33a5c141a078653fa6bef780c5ea248eeaaa785c4f394cab6d30bbe8d4859ee51"
    "1f602957b15411ac027671459e46445c9ea58c181e818e95b8c3fb0bf3278409d3be152a3da5043e"
    "063dda65cdf5aea20d53dfacd42f74f3";
const char* const RFC8448_SFIN =
    "140000209b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718";
const char* const RFC8448_CFIN =
    "14000020a8ec436d677634ae525ac1fcebe11a039ec17694fac6e98527b642f2edd5ce61";

/// RFC 8448 §3: the x25519 shared secret ("{server} extract secret handshake: IKM").
const char* const RFC8448_SHARED_SECRET =
    "8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d";

/// The value of a transport error, for NS_TEST_* messages.
uint64_t
Code(QuicTransportError e)
{
    return static_cast<uint64_t>(e);
}

/// Hex of a secret.
std::string
Hex(const QuicTlsSecret& s)
{
    return ToHex(s.data(), s.size());
}

/// Deterministic test bytes (splitmix64), so the tests do not depend on ns-3's RNG.
class TestRng
{
  public:
    /// \param seed the seed
    explicit TestRng(uint64_t seed)
        : m_state(seed)
    {
    }

    /// \return the next 64-bit value
    uint64_t Next()
    {
        uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    /// \param n bound \return a value in [0, n)
    uint64_t Below(uint64_t n)
    {
        return n == 0 ? 0 : Next() % n;
    }

    /// \param p bytes \param n count
    void Fill(uint8_t* p, size_t n)
    {
        for (size_t i = 0; i < n; ++i)
        {
            p[i] = static_cast<uint8_t>(Next());
        }
    }

  private:
    uint64_t m_state; //!< generator state
};

/// The server's long-term key seed (fixed per server, as in a deployment).
std::array<uint8_t, QUIC_TLS_ED25519_SEED_LENGTH>
ServerKeySeed()
{
    std::array<uint8_t, QUIC_TLS_ED25519_SEED_LENGTH> seed;
    TestRng(4242).Fill(seed.data(), seed.size());
    return seed;
}

/**
 * A configuration whose randomness comes from seed.
 * \param seed the seed
 * \param certSize certificate size (server)
 * \return the configuration
 */
QuicTlsConfig
MakeConfig(uint64_t seed, size_t certSize = 1000)
{
    TestRng rng(seed);
    QuicTlsConfig c;
    rng.Fill(c.random.data(), c.random.size());
    rng.Fill(c.keyShare.data(), c.keyShare.size());
    c.alpn = {"hq-interop", "h3"};
    c.serverName = "server.example";
    c.transportParameters.resize(40 + rng.Below(60));
    rng.Fill(c.transportParameters.data(), c.transportParameters.size());
    c.certificateSeed = ServerKeySeed();
    c.certificateSize = certSize;
    return c;
}

/// Bytes that crossed the wire, per direction and level.
struct Wire
{
    std::vector<uint8_t> toServer[QUIC_TLS_LEVEL_COUNT]; //!< client to server
    std::vector<uint8_t> toClient[QUIC_TLS_LEVEL_COUNT]; //!< server to client
};

/**
 * Move every queued byte from one side to the other in pieces of `fragment`
 * bytes (0: all at once), recording them.
 * \return number of bytes moved
 */
size_t
Transfer(QuicTlsHandshake& from,
         QuicTlsHandshake& to,
         size_t fragment,
         std::vector<uint8_t>* record)
{
    size_t moved = 0;
    for (size_t l = 0; l < QUIC_TLS_LEVEL_COUNT; ++l)
    {
        auto level = static_cast<QuicTlsLevel>(l);
        std::vector<uint8_t> bytes = from.TakeOutgoing(level);
        if (record != nullptr)
        {
            record[l].insert(record[l].end(), bytes.begin(), bytes.end());
        }
        size_t step = fragment == 0 ? bytes.size() : fragment;
        for (size_t off = 0; off < bytes.size(); off += step)
        {
            to.ReceiveCrypto(level, bytes.data() + off, std::min(step, bytes.size() - off));
        }
        moved += bytes.size();
    }
    return moved;
}

/// Run client and server until nothing moves.
void
RunHandshake(QuicTlsHandshake& client,
             QuicTlsHandshake& server,
             size_t fragment,
             Wire* wire = nullptr)
{
    client.Start();
    for (int round = 0; round < 10; ++round)
    {
        size_t moved = Transfer(client, server, fragment, wire ? wire->toServer : nullptr);
        moved += Transfer(server, client, fragment, wire ? wire->toClient : nullptr);
        if (moved == 0)
        {
            break;
        }
    }
}

/// Split a flight into handshake messages (assumes well-formed input).
std::vector<std::vector<uint8_t>>
SplitMessages(const std::vector<uint8_t>& flight)
{
    std::vector<std::vector<uint8_t>> out;
    size_t pos = 0;
    while (pos + QUIC_TLS_HANDSHAKE_HEADER_LENGTH <= flight.size())
    {
        uint8_t type;
        uint32_t length;
        QuicTlsReadHandshakeHeader(flight.data() + pos, flight.size() - pos, type, length);
        size_t end = std::min(flight.size(), pos + QUIC_TLS_HANDSHAKE_HEADER_LENGTH + length);
        out.emplace_back(flight.begin() + pos, flight.begin() + end);
        pos = end;
    }
    return out;
}

/// Concatenate messages.
std::vector<uint8_t>
Join(const std::vector<std::vector<uint8_t>>& messages)
{
    std::vector<uint8_t> out;
    for (const auto& m : messages)
    {
        out.insert(out.end(), m.begin(), m.end());
    }
    return out;
}

/// Records the callbacks of a QuicTlsHandshake.
struct Recorder
{
    std::vector<std::string> events; //!< "hs", "ap", "done" in order
    std::vector<std::string> keyLog; //!< key log lines

    /// Secrets callback.
    void OnSecrets(QuicTlsLevel level, const QuicTlsTrafficSecrets& /* secrets */)
    {
        events.push_back(level == QuicTlsLevel::HANDSHAKE ? "hs" : "ap");
    }

    /// Completion callback.
    void OnComplete()
    {
        events.push_back("done");
    }

    /// Key log callback.
    void OnKeyLog(const std::string& line)
    {
        keyLog.push_back(line);
    }

    /// Attach to a handshake.
    void Attach(QuicTlsHandshake& hs)
    {
        hs.SetSecretsCallback(MakeCallback(&Recorder::OnSecrets, this));
        hs.SetHandshakeCompleteCallback(MakeCallback(&Recorder::OnComplete, this));
        hs.SetKeyLogCallback(MakeCallback(&Recorder::OnKeyLog, this));
    }
};

/// A client that has sent its ClientHello.
std::unique_ptr<QuicTlsHandshake>
StartedClient(uint64_t seed = 1)
{
    auto client = std::make_unique<QuicTlsHandshake>(QuicTlsRole::CLIENT, MakeConfig(seed));
    client->Start();
    return client;
}

/// The flights of a reference handshake (client seed 1, server seed 2).
struct Flights
{
    std::vector<uint8_t> clientHello;           //!< client Initial
    std::vector<uint8_t> serverHello;           //!< server Initial
    std::vector<std::vector<uint8_t>> serverHs; //!< EE, Certificate, CV, Finished
    std::vector<uint8_t> clientFinished;        //!< client Handshake
};

/// Run the reference handshake and capture its flights.
Flights
ReferenceFlights(size_t certSize = 1000)
{
    QuicTlsHandshake client(QuicTlsRole::CLIENT, MakeConfig(1));
    QuicTlsHandshake server(QuicTlsRole::SERVER, MakeConfig(2, certSize));
    Wire wire;
    RunHandshake(client, server, 0, &wire);
    Flights f;
    f.clientHello = wire.toServer[0];
    f.serverHello = wire.toClient[0];
    f.serverHs = SplitMessages(wire.toClient[1]);
    f.clientFinished = wire.toServer[1];
    return f;
}

/// A client that has processed the reference ServerHello (waiting for EncryptedExtensions).
std::unique_ptr<QuicTlsHandshake>
ClientAfterServerHello(const Flights& f)
{
    auto client = StartedClient(1);
    client->ReceiveCrypto(QuicTlsLevel::INITIAL, f.serverHello.data(), f.serverHello.size());
    return client;
}

/// Set the 24-bit length of a handshake message to match its size.
void
FixHeader(std::vector<uint8_t>& msg)
{
    size_t len = msg.size() - QUIC_TLS_HANDSHAKE_HEADER_LENGTH;
    msg[1] = static_cast<uint8_t>(len >> 16);
    msg[2] = static_cast<uint8_t>(len >> 8);
    msg[3] = static_cast<uint8_t>(len);
}

} // namespace

/**
 * \ingroup quic-migration-tests
 * RFC 8448 §3: the TLS 1.3 key schedule reproduced from the published shared
 * secret and the published message bytes (not this module's builders): early,
 * handshake and master secrets, the handshake and application traffic secrets,
 * both Finished verify_data, the server handshake key/IV, and the CertificateVerify
 * content (checked against the RFC's RSA-PSS signature). The decoders read the
 * RFC's messages.
 */
class QuicTlsRfc8448TestCase : public TestCase
{
  public:
    QuicTlsRfc8448TestCase()
        : TestCase("RFC 8448 §3 key schedule, transcript and message decoding")
    {
    }

  private:
    void DoRun() override
    {
        auto ch = FromHex(RFC8448_CH);
        auto sh = FromHex(RFC8448_SH);
        auto ee = FromHex(RFC8448_EE);
        auto cert = FromHex(RFC8448_CERT);
        auto cv = FromHex(RFC8448_CV);
        auto sfin = FromHex(RFC8448_SFIN);
        auto cfin = FromHex(RFC8448_CFIN);
        auto shared = FromHex(RFC8448_SHARED_SECRET);

        // Early secret and the first "derived" value.
        QuicTlsSecret zeros{};
        QuicTlsSecret early;
        QuicTlsSecret emptyHash;
        QuicTlsSecret derived;
        NS_TEST_ASSERT_MSG_EQ(QuicTlsHkdfExtract(nullptr, 0, zeros.data(), 32, early),
                              true,
                              "extract");
        NS_TEST_ASSERT_MSG_EQ(Hex(early),
                              "33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a",
                              "early secret");
        NS_TEST_ASSERT_MSG_EQ(QuicTlsSha256(nullptr, 0, emptyHash), true, "sha256");
        NS_TEST_ASSERT_MSG_EQ(QuicTlsDeriveSecret(early, "derived", emptyHash, derived),
                              true,
                              "derive");
        NS_TEST_ASSERT_MSG_EQ(Hex(derived),
                              "6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba",
                              "derived secret");

        // Transcript-Hash(ClientHello, ServerHello) and the handshake secrets.
        QuicTlsTranscript transcript;
        QuicTlsSecret helloHash;
        transcript.Update(ch.data(), ch.size());
        transcript.Update(sh.data(), sh.size());
        NS_TEST_ASSERT_MSG_EQ(transcript.GetHash(helloHash), true, "hash");
        NS_TEST_ASSERT_MSG_EQ(Hex(helloHash),
                              "860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8",
                              "hello hash");
        QuicTlsSecret hsSecret;
        QuicTlsTrafficSecrets hs;
        NS_TEST_ASSERT_MSG_EQ(
            QuicTlsComputeHandshakeSecrets(shared.data(), shared.size(), helloHash, hsSecret, hs),
            true,
            "handshake secrets");
        NS_TEST_ASSERT_MSG_EQ(Hex(hsSecret),
                              "1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac",
                              "handshake secret");
        NS_TEST_ASSERT_MSG_EQ(Hex(hs.client),
                              "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21",
                              "client_handshake_traffic_secret");
        NS_TEST_ASSERT_MSG_EQ(Hex(hs.server),
                              "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38",
                              "server_handshake_traffic_secret");

        // HKDF-Expand-Label with other lengths: the server handshake write key and IV.
        uint8_t key[16];
        uint8_t iv[12];
        NS_TEST_ASSERT_MSG_EQ(QuicTlsHkdfExpandLabel(hs.server, "key", nullptr, 0, key, 16),
                              true,
                              "key");
        NS_TEST_ASSERT_MSG_EQ(QuicTlsHkdfExpandLabel(hs.server, "iv", nullptr, 0, iv, 12),
                              true,
                              "iv");
        NS_TEST_ASSERT_MSG_EQ(ToHex(key, 16), "3fce516009c21727d0f2e4e86ee403bc", "s hs key");
        NS_TEST_ASSERT_MSG_EQ(ToHex(iv, 12), "5d313eb2671276ee13000b30", "s hs iv");

        // CertificateVerify content: the RFC's RSA-PSS signature must verify over it.
        transcript.Update(ee.data(), ee.size());
        transcript.Update(cert.data(), cert.size());
        QuicTlsSecret certHash;
        transcript.GetHash(certHash);
        QuicTlsCertificate certMsg;
        NS_TEST_ASSERT_MSG_EQ(
            static_cast<int>(QuicTlsDecodeCertificate(cert.data(), cert.size(), certMsg)),
            0,
            "decode Certificate");
        NS_TEST_ASSERT_MSG_EQ(certMsg.certificates.size(), 1, "one certificate");
        NS_TEST_ASSERT_MSG_EQ(certMsg.certificates[0].size(), 0x1b0, "certificate size");
        NS_TEST_ASSERT_MSG_EQ(certMsg.requestContext.size(), 0, "empty context");
        QuicTlsCertificateVerify cvMsg;
        NS_TEST_ASSERT_MSG_EQ(
            static_cast<int>(QuicTlsDecodeCertificateVerify(cv.data(), cv.size(), cvMsg)),
            0,
            "decode CertificateVerify");
        NS_TEST_ASSERT_MSG_EQ(cvMsg.algorithm, 0x0804, "rsa_pss_rsae_sha256");
        NS_TEST_ASSERT_MSG_EQ(cvMsg.signature.size(), 128, "signature size");
        {
            const unsigned char* p = certMsg.certificates[0].data();
            X509* x = d2i_X509(nullptr, &p, static_cast<long>(certMsg.certificates[0].size()));
            NS_TEST_ASSERT_MSG_NE(x, nullptr, "RFC certificate parses");
            std::vector<uint8_t> content = QuicTlsCertificateVerifyContent(true, certHash);
            EVP_MD_CTX* ctx = EVP_MD_CTX_new();
            EVP_PKEY_CTX* pctx = nullptr;
            int rc = EVP_DigestVerifyInit(ctx, &pctx, EVP_sha256(), nullptr, X509_get0_pubkey(x));
            if (rc == 1)
            {
                EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
                EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
                rc = EVP_DigestVerify(ctx,
                                      cvMsg.signature.data(),
                                      cvMsg.signature.size(),
                                      content.data(),
                                      content.size());
            }
            EVP_MD_CTX_free(ctx);
            X509_free(x);
            NS_TEST_ASSERT_MSG_EQ(rc, 1, "RFC 8448 CertificateVerify verifies over our content");
        }

        // Server Finished over ClientHello..CertificateVerify.
        transcript.Update(cv.data(), cv.size());
        QuicTlsSecret cvHash;
        QuicTlsSecret serverVerify;
        transcript.GetHash(cvHash);
        NS_TEST_ASSERT_MSG_EQ(QuicTlsComputeFinished(hs.server, cvHash, serverVerify),
                              true,
                              "finished");
        NS_TEST_ASSERT_MSG_EQ(Hex(serverVerify),
                              "9b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718",
                              "server Finished verify_data");
        QuicTlsSecret decodedVerify;
        NS_TEST_ASSERT_MSG_EQ(
            static_cast<int>(QuicTlsDecodeFinished(sfin.data(), sfin.size(), decodedVerify)),
            0,
            "decode Finished");
        NS_TEST_ASSERT_MSG_EQ(Hex(decodedVerify), Hex(serverVerify), "decoded verify_data");

        // Application secrets over ClientHello..server Finished; client Finished.
        transcript.Update(sfin.data(), sfin.size());
        QuicTlsSecret finHash;
        transcript.GetHash(finHash);
        NS_TEST_ASSERT_MSG_EQ(Hex(finHash),
                              "9608102a0f1ccc6db6250b7b7e417b1a000eaada3daae4777a7686c9ff83df13",
                              "hash through server Finished");
        QuicTlsSecret master;
        QuicTlsTrafficSecrets ap;
        NS_TEST_ASSERT_MSG_EQ(QuicTlsComputeApplicationSecrets(hsSecret, finHash, master, ap),
                              true,
                              "application secrets");
        NS_TEST_ASSERT_MSG_EQ(Hex(master),
                              "18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8d0402919",
                              "master secret");
        NS_TEST_ASSERT_MSG_EQ(Hex(ap.client),
                              "9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5",
                              "client_application_traffic_secret_0");
        NS_TEST_ASSERT_MSG_EQ(Hex(ap.server),
                              "a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643",
                              "server_application_traffic_secret_0");
        QuicTlsSecret clientVerify;
        QuicTlsComputeFinished(hs.client, finHash, clientVerify);
        NS_TEST_ASSERT_MSG_EQ(Hex(clientVerify),
                              ToHex(cfin.data() + 4, 32),
                              "client Finished verify_data");

        // The decoders read the RFC's hellos and EncryptedExtensions.
        QuicTlsClientHello chMsg;
        NS_TEST_ASSERT_MSG_EQ(
            static_cast<int>(QuicTlsDecodeClientHello(ch.data(), ch.size(), chMsg)),
            0,
            "decode ClientHello");
        NS_TEST_ASSERT_MSG_EQ(ToHex(chMsg.random.data(), 32),
                              "cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7",
                              "client random");
        NS_TEST_ASSERT_MSG_EQ(chMsg.hasKeyShare, true, "client key share");
        NS_TEST_ASSERT_MSG_EQ(ToHex(chMsg.keyShare.data(), 32),
                              "99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c",
                              "client x25519 share");
        NS_TEST_ASSERT_MSG_EQ(chMsg.cipherSuites.size(), 3, "three suites");
        NS_TEST_ASSERT_MSG_EQ(chMsg.serverName, "server", "SNI");
        NS_TEST_ASSERT_MSG_EQ(chMsg.supportedGroups.size(), 9, "groups");
        NS_TEST_ASSERT_MSG_EQ(chMsg.signatureAlgorithms.size(), 15, "signature algorithms");
        NS_TEST_ASSERT_MSG_EQ(chMsg.supportedVersions.size(), 1, "versions");
        NS_TEST_ASSERT_MSG_EQ(chMsg.supportedVersions[0], QUIC_TLS_VERSION_13, "TLS 1.3");
        NS_TEST_ASSERT_MSG_EQ(chMsg.hasTransportParameters, false, "no QUIC parameters");
        QuicTlsServerHello shMsg;
        NS_TEST_ASSERT_MSG_EQ(
            static_cast<int>(QuicTlsDecodeServerHello(sh.data(), sh.size(), shMsg)),
            0,
            "decode ServerHello");
        NS_TEST_ASSERT_MSG_EQ(ToHex(shMsg.keyShare.data(), 32),
                              "c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f",
                              "server x25519 share");
        NS_TEST_ASSERT_MSG_EQ(shMsg.cipherSuite, QUIC_TLS_AES_128_GCM_SHA256, "suite");
        NS_TEST_ASSERT_MSG_EQ(shMsg.selectedVersion, QUIC_TLS_VERSION_13, "version");
        NS_TEST_ASSERT_MSG_EQ(shMsg.helloRetryRequest, false, "not an HRR");
        NS_TEST_ASSERT_MSG_EQ(shMsg.otherExtensions.size(), 0, "no other extensions");
        QuicTlsEncryptedExtensions eeMsg;
        NS_TEST_ASSERT_MSG_EQ(
            static_cast<int>(QuicTlsDecodeEncryptedExtensions(ee.data(), ee.size(), eeMsg)),
            0,
            "decode EncryptedExtensions");
        NS_TEST_ASSERT_MSG_EQ(eeMsg.otherExtensions.size(), 3, "groups, record limit, SNI");
        NS_TEST_ASSERT_MSG_EQ(eeMsg.alpn.empty(), true, "no ALPN");
    }
};

/**
 * \ingroup quic-migration-tests
 * HS-01: a complete client/server handshake in memory, with CRYPTO bytes cut into
 * pieces of a given size. Both sides derive the same handshake and 1-RTT secrets,
 * the secrets follow from the wire bytes (SHA-256 of the shares, transcript of the
 * hellos), transport parameters and ALPN arrive intact, the client completes
 * first and the server only on the client Finished, message sizes are as
 * configured, and the key log lines have the NSS format.
 */
class QuicTlsHandshakeTestCase : public TestCase
{
  public:
    /**
     * \param fragment piece size for CRYPTO bytes (0: whole flights)
     * \param certSize configured certificate size
     */
    QuicTlsHandshakeTestCase(size_t fragment, size_t certSize)
        : TestCase("HS-01 in-memory handshake, CRYPTO data in " +
                   (fragment == 0 ? std::string("whole flights")
                                  : std::to_string(fragment) + "-byte pieces") +
                   ", certificate of " + std::to_string(certSize) + " bytes"),
          m_fragment(fragment),
          m_certSize(certSize)
    {
    }

  private:
    void DoRun() override
    {
        QuicTlsConfig cc = MakeConfig(11);
        QuicTlsConfig sc = MakeConfig(22, m_certSize);
        sc.alpn = {"h3", "hq-interop"}; // server preference: h3
        QuicTlsHandshake client(QuicTlsRole::CLIENT, cc);
        QuicTlsHandshake server(QuicTlsRole::SERVER, sc);
        // The server learns its final parameters only when the first Initial arrives.
        sc.transportParameters.push_back(0x42);
        server.SetTransportParameters(sc.transportParameters);
        Recorder cr;
        Recorder sr;
        cr.Attach(client);
        sr.Attach(server);

        // Step by step: the completion order of RFC 9001 §4.1.1.
        Wire wire;
        NS_TEST_ASSERT_MSG_EQ(Code(client.Start()), 0, "start");
        NS_TEST_ASSERT_MSG_EQ(client.HasHandshakeSecrets(), false, "no keys before SH");
        Transfer(client, server, m_fragment, wire.toServer);
        NS_TEST_ASSERT_MSG_EQ(server.HasFailed(), false, "server accepted the ClientHello");
        NS_TEST_ASSERT_MSG_EQ(server.HasHandshakeSecrets(), true, "server handshake keys");
        NS_TEST_ASSERT_MSG_EQ(server.HasApplicationSecrets(), true, "server 1-RTT keys (0.5-RTT)");
        NS_TEST_ASSERT_MSG_EQ(server.IsHandshakeComplete(), false, "server waits for Finished");
        Transfer(server, client, m_fragment, wire.toClient);
        NS_TEST_ASSERT_MSG_EQ(client.HasFailed(), false, "client accepted the server flight");
        NS_TEST_ASSERT_MSG_EQ(client.IsHandshakeComplete(), true, "client complete");
        NS_TEST_ASSERT_MSG_EQ(server.IsHandshakeComplete(), false, "server not yet complete");
        Transfer(client, server, m_fragment, wire.toServer);
        NS_TEST_ASSERT_MSG_EQ(server.HasFailed(), false, "server accepted the client Finished");
        NS_TEST_ASSERT_MSG_EQ(server.IsHandshakeComplete(), true, "server complete");
        NS_TEST_ASSERT_MSG_EQ(Transfer(client, server, m_fragment, nullptr) +
                                  Transfer(server, client, m_fragment, nullptr),
                              0,
                              "nothing more to send");

        // Identical secrets on both sides.
        NS_TEST_ASSERT_MSG_EQ(Hex(client.GetHandshakeSecrets().client),
                              Hex(server.GetHandshakeSecrets().client),
                              "client handshake secret");
        NS_TEST_ASSERT_MSG_EQ(Hex(client.GetHandshakeSecrets().server),
                              Hex(server.GetHandshakeSecrets().server),
                              "server handshake secret");
        NS_TEST_ASSERT_MSG_EQ(Hex(client.GetApplicationSecrets().client),
                              Hex(server.GetApplicationSecrets().client),
                              "client 1-RTT secret");
        NS_TEST_ASSERT_MSG_EQ(Hex(client.GetApplicationSecrets().server),
                              Hex(server.GetApplicationSecrets().server),
                              "server 1-RTT secret");
        NS_TEST_ASSERT_MSG_NE(Hex(client.GetHandshakeSecrets().client),
                              Hex(client.GetHandshakeSecrets().server),
                              "directions differ");

        // The secrets follow from the wire: shared = SHA-256(cshare || sshare),
        // hello hash over the bytes that crossed at the Initial level.
        uint8_t shares[64];
        std::memcpy(shares, cc.keyShare.data(), 32);
        std::memcpy(shares + 32, sc.keyShare.data(), 32);
        QuicTlsSecret shared;
        QuicTlsSha256(shares, sizeof(shares), shared);
        std::vector<uint8_t> hellos = wire.toServer[0];
        hellos.insert(hellos.end(), wire.toClient[0].begin(), wire.toClient[0].end());
        QuicTlsSecret helloHash;
        QuicTlsSha256(hellos.data(), hellos.size(), helloHash);
        QuicTlsSecret hsSecret;
        QuicTlsTrafficSecrets expected;
        QuicTlsComputeHandshakeSecrets(shared.data(), 32, helloHash, hsSecret, expected);
        NS_TEST_ASSERT_MSG_EQ(Hex(client.GetHandshakeSecrets().client),
                              Hex(expected.client),
                              "independent key schedule");
        std::vector<uint8_t> all = hellos;
        all.insert(all.end(), wire.toClient[1].begin(), wire.toClient[1].end());
        QuicTlsSecret finHash;
        QuicTlsSha256(all.data(), all.size(), finHash);
        QuicTlsSecret master;
        QuicTlsTrafficSecrets expectedAp;
        QuicTlsComputeApplicationSecrets(hsSecret, finHash, master, expectedAp);
        NS_TEST_ASSERT_MSG_EQ(Hex(server.GetApplicationSecrets().server),
                              Hex(expectedAp.server),
                              "independent 1-RTT key schedule");

        // Transport parameters and ALPN.
        NS_TEST_ASSERT_MSG_EQ(server.HasPeerTransportParameters(), true, "server got TPs");
        NS_TEST_ASSERT_MSG_EQ(ToHex(server.GetPeerTransportParameters()),
                              ToHex(cc.transportParameters),
                              "client TPs intact");
        NS_TEST_ASSERT_MSG_EQ(ToHex(client.GetPeerTransportParameters()),
                              ToHex(sc.transportParameters),
                              "server TPs intact");
        NS_TEST_ASSERT_MSG_EQ(client.GetAlpn(), "h3", "server preference wins");
        NS_TEST_ASSERT_MSG_EQ(server.GetAlpn(), "h3", "server ALPN");
        NS_TEST_ASSERT_MSG_EQ(server.GetPeerServerName(), "server.example", "SNI");
        NS_TEST_ASSERT_MSG_EQ(ToHex(server.GetClientRandom().data(), 32),
                              ToHex(cc.random.data(), 32),
                              "client random at the server");

        // Messages and sizes.
        const auto& slog = server.GetMessageLog();
        NS_TEST_ASSERT_MSG_EQ(slog.size(), 7, "server: CH in, SH EE Cert CV Fin out, Fin in");
        const QuicTlsHandshakeType order[] = {QuicTlsHandshakeType::CLIENT_HELLO,
                                              QuicTlsHandshakeType::SERVER_HELLO,
                                              QuicTlsHandshakeType::ENCRYPTED_EXTENSIONS,
                                              QuicTlsHandshakeType::CERTIFICATE,
                                              QuicTlsHandshakeType::CERTIFICATE_VERIFY,
                                              QuicTlsHandshakeType::FINISHED,
                                              QuicTlsHandshakeType::FINISHED};
        const bool sent[] = {false, true, true, true, true, true, false};
        for (size_t i = 0; i < 7; ++i)
        {
            NS_TEST_ASSERT_MSG_EQ(static_cast<int>(slog[i].type),
                                  static_cast<int>(order[i]),
                                  "message " << i);
            NS_TEST_ASSERT_MSG_EQ(slog[i].sent, sent[i], "direction of message " << i);
        }
        NS_TEST_ASSERT_MSG_EQ(static_cast<int>(slog[1].level), 0, "SH at Initial");
        NS_TEST_ASSERT_MSG_EQ(static_cast<int>(slog[2].level), 1, "EE at Handshake");
        size_t certMsg = slog[3].size;
        // Certificate message = DER + 4 (header) + 1 (context) + 3 (list) + 3 (entry) + 2 (ext).
        size_t der = certMsg - 13;
        NS_TEST_ASSERT_MSG_EQ_TOL(static_cast<double>(der),
                                  static_cast<double>(m_certSize),
                                  2.0,
                                  "certificate DER size");
        NS_TEST_ASSERT_MSG_EQ(slog[4].size, 4 + 2 + 2 + 64, "CertificateVerify size");
        NS_TEST_ASSERT_MSG_EQ(slog[5].size, 36, "Finished size");
        NS_TEST_ASSERT_MSG_EQ(wire.toServer[1].size(), 36, "client Finished size");
        NS_TEST_ASSERT_MSG_EQ(wire.toClient[0].size(), slog[1].size, "Initial flight is SH");
        size_t chSize = wire.toServer[0].size();
        NS_TEST_ASSERT_MSG_GT(chSize, 200, "ClientHello size");
        NS_TEST_ASSERT_MSG_LT(chSize, 400, "ClientHello size");
        NS_TEST_ASSERT_MSG_EQ(client.GetMessageLog().size(), 7, "client log");

        // Callbacks, in order, and the key log.
        NS_TEST_ASSERT_MSG_EQ(cr.events.size(), 3, "client events");
        NS_TEST_ASSERT_MSG_EQ(cr.events[0] + cr.events[1] + cr.events[2], "hsapdone", "order");
        NS_TEST_ASSERT_MSG_EQ(sr.events.size(), 3, "server events");
        NS_TEST_ASSERT_MSG_EQ(sr.events[0] + sr.events[1] + sr.events[2], "hsapdone", "order");
        NS_TEST_ASSERT_MSG_EQ(client.GetKeyLogLines().size(), 4, "four key log lines");
        NS_TEST_ASSERT_MSG_EQ(cr.keyLog.size(), 4, "key log callback");
        const char* labels[] = {"CLIENT_HANDSHAKE_TRAFFIC_SECRET",
                                "SERVER_HANDSHAKE_TRAFFIC_SECRET",
                                "CLIENT_TRAFFIC_SECRET_0",
                                "SERVER_TRAFFIC_SECRET_0"};
        const QuicTlsSecret* secrets[] = {&client.GetHandshakeSecrets().client,
                                          &client.GetHandshakeSecrets().server,
                                          &client.GetApplicationSecrets().client,
                                          &client.GetApplicationSecrets().server};
        for (size_t i = 0; i < 4; ++i)
        {
            std::string line =
                std::string(labels[i]) + " " + ToHex(cc.random.data(), 32) + " " + Hex(*secrets[i]);
            NS_TEST_ASSERT_MSG_EQ(client.GetKeyLogLines()[i], line, "client key log " << i);
            NS_TEST_ASSERT_MSG_EQ(server.GetKeyLogLines()[i], line, "server key log " << i);
            NS_TEST_ASSERT_MSG_EQ(cr.keyLog[i], line, "callback line " << i);
        }

        // Post-handshake: NewSessionTicket ignored, KeyUpdate forbidden (RFC 9001 §6).
        std::vector<uint8_t> nst = {4, 0, 0, 5, 0, 0, 0, 0, 0};
        NS_TEST_ASSERT_MSG_EQ(
            Code(client.ReceiveCrypto(QuicTlsLevel::APPLICATION, nst.data(), nst.size())),
            0,
            "NewSessionTicket ignored");
        std::vector<uint8_t> ku = {24, 0, 0, 1, 0};
        NS_TEST_ASSERT_MSG_EQ(
            Code(server.ReceiveCrypto(QuicTlsLevel::APPLICATION, ku.data(), ku.size())),
            0x10a,
            "KeyUpdate is unexpected_message");
    }

    size_t m_fragment; //!< piece size
    size_t m_certSize; //!< certificate size
};

/**
 * \ingroup quic-migration-tests
 * What a QuicConnection uses to keep an established connection small: keepLogs off (the key
 * log callback still gets every line, nothing is kept) and, once the handshake is confirmed,
 * only the QuicTlsPostHandshake part of TLS. It must judge post-handshake CRYPTO data
 * exactly like the complete QuicTlsHandshake (RFC 9001 §4.1.3, §6; RFC 9000 §7.5): both are
 * fed the same byte sequences and must return the same codes, which are also checked.
 */
class QuicTlsPostHandshakeTestCase : public TestCase
{
  public:
    QuicTlsPostHandshakeTestCase()
        : TestCase("keepLogs off; post-handshake TLS state judges 1-RTT CRYPTO like the handshake")
    {
    }

  private:
    /// One delivery: level and bytes.
    struct Piece
    {
        QuicTlsLevel level;        //!< level
        std::vector<uint8_t> data; //!< bytes
    };

    /**
     * \brief Feed the same pieces to a completed handshake (client or server side) and to its
     * post-handshake state taken right after completion; compare every return code.
     * \param client feed the client side (else the server side)
     * \param pieces what to deliver
     * \param expected the expected code after each piece
     * \param what description
     */
    void Compare(bool client,
                 const std::vector<Piece>& pieces,
                 const std::vector<uint64_t>& expected,
                 const std::string& what)
    {
        QuicTlsConfig cc = MakeConfig(11);
        QuicTlsConfig sc = MakeConfig(22);
        cc.keepLogs = false;
        sc.keepLogs = false;
        cc.maxMessageSize = 2000; // above the certificate message
        sc.maxMessageSize = 2000;
        QuicTlsHandshake c(QuicTlsRole::CLIENT, cc);
        QuicTlsHandshake s(QuicTlsRole::SERVER, sc);
        RunHandshake(c, s, 0);
        QuicTlsHandshake& hs = client ? c : s;
        NS_TEST_ASSERT_MSG_EQ(hs.IsHandshakeComplete(), true, what << ": complete");
        QuicTlsPostHandshake post = hs.GetPostHandshake();
        NS_TEST_ASSERT_MSG_EQ(post.HasFailed(), false, what << ": fresh post-handshake state");
        for (size_t i = 0; i < pieces.size() && i < expected.size(); ++i)
        {
            const Piece& p = pieces[i];
            uint64_t a = Code(hs.ReceiveCrypto(p.level, p.data.data(), p.data.size()));
            uint64_t b = Code(post.ReceiveCrypto(p.level, p.data.data(), p.data.size()));
            NS_TEST_ASSERT_MSG_EQ(a, expected[i], what << ": handshake, piece " << i);
            NS_TEST_ASSERT_MSG_EQ(b, expected[i], what << ": post-handshake, piece " << i);
        }
        NS_TEST_ASSERT_MSG_EQ(post.HasFailed(), hs.HasFailed(), what << ": failed");
        NS_TEST_ASSERT_MSG_EQ(static_cast<int>(post.GetAlert()),
                              static_cast<int>(hs.GetAlert()),
                              what << ": alert");
        NS_TEST_ASSERT_MSG_EQ(hs.GetOutgoingSize(QuicTlsLevel::APPLICATION), 0, "no answer");
    }

    void DoRun() override
    {
        // keepLogs off: the callback gets the lines, nothing is kept.
        QuicTlsConfig cc = MakeConfig(11);
        QuicTlsConfig sc = MakeConfig(22);
        cc.keepLogs = false;
        sc.keepLogs = false;
        QuicTlsHandshake client(QuicTlsRole::CLIENT, cc);
        QuicTlsHandshake server(QuicTlsRole::SERVER, sc);
        Recorder cr;
        Recorder sr;
        cr.Attach(client);
        sr.Attach(server);
        NS_TEST_ASSERT_MSG_EQ(
            Code(client.GetPostHandshake().ReceiveCrypto(QuicTlsLevel::APPLICATION,
                                                         std::vector<uint8_t>{4, 0, 0, 0}.data(),
                                                         4)),
            0x10a,
            "before completion the post-handshake state rejects everything");
        RunHandshake(client, server, 7);
        NS_TEST_ASSERT_MSG_EQ(client.IsHandshakeComplete(), true, "client complete");
        NS_TEST_ASSERT_MSG_EQ(server.IsHandshakeComplete(), true, "server complete");
        NS_TEST_ASSERT_MSG_EQ(client.GetKeyLogLines().size(), 0, "no key log kept");
        NS_TEST_ASSERT_MSG_EQ(client.GetMessageLog().size(), 0, "no message log kept");
        NS_TEST_ASSERT_MSG_EQ(server.GetMessageLog().size(), 0, "no message log kept");
        NS_TEST_ASSERT_MSG_EQ(cr.keyLog.size(), 4, "client key log callback: four lines");
        NS_TEST_ASSERT_MSG_EQ(sr.keyLog.size(), 4, "server key log callback: four lines");
        if (cr.keyLog.size() == 4 && sr.keyLog.size() == 4)
        {
            std::string line = "SERVER_TRAFFIC_SECRET_0 " + ToHex(cc.random.data(), 32) + " " +
                               Hex(client.GetApplicationSecrets().server);
            NS_TEST_ASSERT_MSG_EQ(cr.keyLog[3], line, "client line");
            NS_TEST_ASSERT_MSG_EQ(sr.keyLog[3], line, "server line");
        }

        const QuicTlsLevel app = QuicTlsLevel::APPLICATION;
        const QuicTlsLevel hsl = QuicTlsLevel::HANDSHAKE;
        const std::vector<uint8_t> nst = {4, 0, 0, 5, 0, 0, 0, 0, 0};
        const std::vector<uint8_t> ku = {24, 0, 0, 1, 0};
        std::vector<uint8_t> two = nst;
        two.insert(two.end(), nst.begin(), nst.end());
        std::vector<uint8_t> big(4 + 2000, 0); // a NewSessionTicket of exactly the bound
        big[0] = 4;
        big[2] = 0x07;
        big[3] = 0xd0;
        // NewSessionTicket to a client: accepted, whole, in pieces, two at once, at the bound.
        Compare(true,
                {{app, nst},
                 {app, {nst.begin(), nst.begin() + 2}},
                 {app, {nst.begin() + 2, nst.begin() + 6}},
                 {app, {nst.begin() + 6, nst.end()}},
                 {app, two},
                 {app, big}},
                {0, 0, 0, 0, 0, 0},
                "NewSessionTicket");
        // A partial message followed by a KeyUpdate in the same stream: unexpected_message,
        // and inert afterwards.
        std::vector<uint8_t> nstKu = nst;
        nstKu.insert(nstKu.end(), ku.begin(), ku.end());
        Compare(true,
                {{app, {nst.begin(), nst.begin() + 3}},
                 {app, {nst.begin() + 3, nst.end()}},
                 {app, nstKu},
                 {app, nst}},
                {0, 0, 0x10a, 0x10a},
                "KeyUpdate after tickets");
        // One byte over the bound: CRYPTO_BUFFER_EXCEEDED as soon as the header is seen.
        std::vector<uint8_t> over = {4, 0, 0x07, 0xd1};
        Compare(true,
                {{app, {over.begin(), over.begin() + 3}}, {app, {over[3]}}},
                {0, 0x0d},
                "bound");
        // The server gets no NewSessionTicket; Handshake-level data after completion.
        Compare(false, {{app, nst}}, {0x10a}, "NewSessionTicket to a server");
        Compare(false, {{hsl, nst}}, {0x10a}, "Handshake level after completion");
        Compare(true, {{app, {}}, {app, ku}}, {0, 0x10a}, "empty delivery, then KeyUpdate");
    }
};

/**
 * \ingroup quic-migration-tests
 * The generated certificate: DER that OpenSSL parses, self-signed with the
 * Ed25519 key of the seed (verifies with its own public key), the requested size,
 * and the same bytes again from the same seed (with the cache emptied).
 */
class QuicTlsCertificateTestCase : public TestCase
{
  public:
    QuicTlsCertificateTestCase()
        : TestCase("Generated Ed25519 certificate: parses, verifies, sized, deterministic")
    {
    }

  private:
    void DoRun() override
    {
        auto seed = ServerKeySeed();
        std::vector<uint8_t> minimal;
        NS_TEST_ASSERT_MSG_EQ(QuicTlsGenerateCertificate(seed, 0, "a.example", minimal),
                              true,
                              "minimal certificate");
        NS_TEST_ASSERT_MSG_LT(minimal.size(), 600, "minimal size");
        const size_t sizes[] = {600, 1000, 1200, 1500, 4000, 12000, 20000, 65000};
        for (size_t target : sizes)
        {
            std::vector<uint8_t> der;
            NS_TEST_ASSERT_MSG_EQ(QuicTlsGenerateCertificate(seed, target, "a.example", der),
                                  true,
                                  "generate " << target);
            size_t expected = std::min<size_t>(target, 60000);
            NS_TEST_ASSERT_MSG_EQ_TOL(static_cast<double>(der.size()),
                                      static_cast<double>(expected),
                                      2.0,
                                      "size for " << target);
            const unsigned char* p = der.data();
            X509* x = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
            NS_TEST_ASSERT_MSG_NE(x, nullptr, "d2i_X509 of " << target);
            NS_TEST_ASSERT_MSG_EQ((p == der.data() + der.size()), true, "whole DER consumed");
            EVP_PKEY* pub = X509_get0_pubkey(x);
            NS_TEST_ASSERT_MSG_EQ(EVP_PKEY_id(pub), EVP_PKEY_ED25519, "Ed25519 key");
            NS_TEST_ASSERT_MSG_EQ(X509_verify(x, pub), 1, "self-signature verifies");
            NS_TEST_ASSERT_MSG_EQ(X509_get_version(x), 2, "X.509 v3");
            uint8_t raw[32];
            size_t rawLen = sizeof(raw);
            EVP_PKEY_get_raw_public_key(pub, raw, &rawLen);
            EVP_PKEY* priv =
                EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size());
            uint8_t expectRaw[32];
            size_t expectLen = sizeof(expectRaw);
            EVP_PKEY_get_raw_public_key(priv, expectRaw, &expectLen);
            EVP_PKEY_free(priv);
            NS_TEST_ASSERT_MSG_EQ(ToHex(raw, rawLen),
                                  ToHex(expectRaw, expectLen),
                                  "public key of the seed");
            X509_free(x);

            // Determinism without the cache.
            QuicTlsClearCertificateCache();
            std::vector<uint8_t> again;
            QuicTlsGenerateCertificate(seed, target, "a.example", again);
            NS_TEST_ASSERT_MSG_EQ(ToHex(again), ToHex(der), "same seed, same bytes");
        }

        // Every size from just above the minimum: within 2 bytes.
        QuicTlsGenerateCertificate(seed, 0, "server.example", minimal);
        size_t worst = 0;
        for (size_t target = minimal.size() + 19; target < 2000; target += 7)
        {
            std::vector<uint8_t> der;
            QuicTlsGenerateCertificate(seed, target, "server.example", der);
            worst =
                std::max(worst, der.size() > target ? der.size() - target : target - der.size());
        }
        NS_TEST_ASSERT_MSG_LT_OR_EQ(worst, 2, "size sweep");

        // Another seed: another key and other bytes.
        auto other = seed;
        other[0] ^= 1;
        std::vector<uint8_t> a;
        std::vector<uint8_t> b;
        QuicTlsGenerateCertificate(seed, 1000, "a.example", a);
        QuicTlsGenerateCertificate(other, 1000, "a.example", b);
        NS_TEST_ASSERT_MSG_NE(ToHex(a), ToHex(b), "different seed, different certificate");

        // Signatures with the key verify with the certificate, and only them.
        std::vector<uint8_t> message = {1, 2, 3, 4, 5};
        std::vector<uint8_t> sig;
        NS_TEST_ASSERT_MSG_EQ(QuicTlsEd25519Sign(seed, message, sig), true, "sign");
        NS_TEST_ASSERT_MSG_EQ(sig.size(), 64, "Ed25519 signature size");
        NS_TEST_ASSERT_MSG_EQ(static_cast<int>(QuicTlsEd25519Verify(a, message, sig)),
                              0,
                              "verifies");
        NS_TEST_ASSERT_MSG_EQ(static_cast<int>(QuicTlsEd25519Verify(b, message, sig)),
                              static_cast<int>(QuicTlsAlert::DECRYPT_ERROR),
                              "wrong key");
        sig[10] ^= 0x40;
        NS_TEST_ASSERT_MSG_EQ(static_cast<int>(QuicTlsEd25519Verify(a, message, sig)),
                              static_cast<int>(QuicTlsAlert::DECRYPT_ERROR),
                              "tampered signature");
        std::vector<uint8_t> junk(a.begin(), a.begin() + 100);
        NS_TEST_ASSERT_MSG_EQ(static_cast<int>(QuicTlsEd25519Verify(junk, message, sig)),
                              static_cast<int>(QuicTlsAlert::BAD_CERTIFICATE),
                              "truncated certificate");
        auto rsaCert = FromHex(RFC8448_CERT);
        std::vector<uint8_t> rsaDer(rsaCert.begin() + 11, rsaCert.end() - 2);
        NS_TEST_ASSERT_MSG_EQ(static_cast<int>(QuicTlsEd25519Verify(rsaDer, message, sig)),
                              static_cast<int>(QuicTlsAlert::UNSUPPORTED_CERTIFICATE),
                              "RSA certificate");
    }
};

/**
 * \ingroup quic-migration-tests
 * Determinism: the same configuration (randomness) gives byte-identical flights
 * and key logs; another client random gives other bytes.
 */
class QuicTlsDeterminismTestCase : public TestCase
{
  public:
    QuicTlsDeterminismTestCase()
        : TestCase("Same random bytes, identical handshake bytes and secrets")
    {
    }

  private:
    void DoRun() override
    {
        Wire w[3];
        std::vector<std::string> keyLogs[3];
        for (int i = 0; i < 3; ++i)
        {
            QuicTlsClearCertificateCache();
            QuicTlsHandshake client(QuicTlsRole::CLIENT, MakeConfig(i < 2 ? 5 : 6));
            QuicTlsHandshake server(QuicTlsRole::SERVER, MakeConfig(7, 3000));
            RunHandshake(client, server, 0, &w[i]);
            NS_TEST_ASSERT_MSG_EQ(server.IsHandshakeComplete(), true, "complete " << i);
            keyLogs[i] = client.GetKeyLogLines();
        }
        for (size_t l = 0; l < QUIC_TLS_LEVEL_COUNT; ++l)
        {
            NS_TEST_ASSERT_MSG_EQ(ToHex(w[0].toServer[l]), ToHex(w[1].toServer[l]), "c->s " << l);
            NS_TEST_ASSERT_MSG_EQ(ToHex(w[0].toClient[l]), ToHex(w[1].toClient[l]), "s->c " << l);
        }
        for (size_t i = 0; i < 4; ++i)
        {
            NS_TEST_ASSERT_MSG_EQ(keyLogs[0][i], keyLogs[1][i], "key log " << i);
            NS_TEST_ASSERT_MSG_NE(keyLogs[0][i], keyLogs[2][i], "other run " << i);
        }
        NS_TEST_ASSERT_MSG_NE(ToHex(w[0].toServer[0]), ToHex(w[2].toServer[0]), "other CH");
    }
};

/**
 * \ingroup quic-migration-tests
 * Malformed messages at the decoders: every truncation (with the original and with
 * a patched length field), wrong lengths, wrong and unknown types, a Finished of
 * the wrong size, duplicate extensions, bad compression: the right alert, no crash.
 */
class QuicTlsMalformedMessagesTestCase : public TestCase
{
  public:
    QuicTlsMalformedMessagesTestCase()
        : TestCase("Malformed messages: truncations, lengths, types -> alerts")
    {
    }

  private:
    /// Decode msg as the given type.
    static QuicTlsAlert Decode(QuicTlsHandshakeType type, const std::vector<uint8_t>& msg)
    {
        const uint8_t* p = msg.empty() ? nullptr : msg.data();
        switch (type)
        {
        case QuicTlsHandshakeType::CLIENT_HELLO: {
            QuicTlsClientHello m;
            return QuicTlsDecodeClientHello(p, msg.size(), m);
        }
        case QuicTlsHandshakeType::SERVER_HELLO: {
            QuicTlsServerHello m;
            return QuicTlsDecodeServerHello(p, msg.size(), m);
        }
        case QuicTlsHandshakeType::ENCRYPTED_EXTENSIONS: {
            QuicTlsEncryptedExtensions m;
            return QuicTlsDecodeEncryptedExtensions(p, msg.size(), m);
        }
        case QuicTlsHandshakeType::CERTIFICATE: {
            QuicTlsCertificate m;
            return QuicTlsDecodeCertificate(p, msg.size(), m);
        }
        case QuicTlsHandshakeType::CERTIFICATE_VERIFY: {
            QuicTlsCertificateVerify m;
            return QuicTlsDecodeCertificateVerify(p, msg.size(), m);
        }
        case QuicTlsHandshakeType::FINISHED: {
            QuicTlsSecret m;
            return QuicTlsDecodeFinished(p, msg.size(), m);
        }
        default:
            return QuicTlsAlert::INTERNAL_ERROR;
        }
    }

    void DoRun() override
    {
        Flights f = ReferenceFlights();
        std::vector<std::vector<uint8_t>> messages = {f.clientHello, f.serverHello};
        messages.insert(messages.end(), f.serverHs.begin(), f.serverHs.end());
        messages.push_back(f.clientFinished);
        NS_TEST_ASSERT_MSG_EQ(messages.size(), 7, "seven messages");
        for (const auto& msg : messages)
        {
            auto type = static_cast<QuicTlsHandshakeType>(msg[0]);
            NS_TEST_ASSERT_MSG_EQ(static_cast<int>(Decode(type, msg)), 0, "valid message");
            for (size_t len = 0; len < msg.size(); ++len)
            {
                std::vector<uint8_t> cut(msg.begin(), msg.begin() + len);
                NS_TEST_ASSERT_MSG_EQ(static_cast<int>(Decode(type, cut)),
                                      static_cast<int>(QuicTlsAlert::DECODE_ERROR),
                                      "type " << int(msg[0]) << " cut to " << len);
                if (len >= QUIC_TLS_HANDSHAKE_HEADER_LENGTH)
                {
                    FixHeader(cut);
                    NS_TEST_ASSERT_MSG_EQ(static_cast<int>(Decode(type, cut)),
                                          static_cast<int>(QuicTlsAlert::DECODE_ERROR),
                                          "type " << int(msg[0]) << " cut to " << len
                                                  << " with a consistent header");
                }
            }
            // Header length off by one either way; one byte too many.
            for (int delta : {-1, 1})
            {
                std::vector<uint8_t> bad = msg;
                bad[3] = static_cast<uint8_t>(bad[3] + delta);
                NS_TEST_ASSERT_MSG_EQ(static_cast<int>(Decode(type, bad)),
                                      static_cast<int>(QuicTlsAlert::DECODE_ERROR),
                                      "length off by " << delta);
            }
            std::vector<uint8_t> longer = msg;
            longer.push_back(0);
            FixHeader(longer);
            NS_TEST_ASSERT_MSG_EQ(static_cast<int>(Decode(type, longer)),
                                  static_cast<int>(QuicTlsAlert::DECODE_ERROR),
                                  "trailing byte in type " << int(msg[0]));
            // Wrong and unknown types.
            std::vector<uint8_t> retyped = msg;
            retyped[0] = 0x63;
            NS_TEST_ASSERT_MSG_EQ(static_cast<int>(Decode(type, retyped)),
                                  static_cast<int>(QuicTlsAlert::UNEXPECTED_MESSAGE),
                                  "unknown type");
        }
        NS_TEST_ASSERT_MSG_EQ(
            static_cast<int>(Decode(QuicTlsHandshakeType::SERVER_HELLO, f.clientHello)),
            static_cast<int>(QuicTlsAlert::UNEXPECTED_MESSAGE),
            "ClientHello is not a ServerHello");

        // Finished of 31 and 48 bytes.
        for (size_t n : {31, 48})
        {
            std::vector<uint8_t> fin = {20, 0, 0, static_cast<uint8_t>(n)};
            fin.resize(4 + n, 0xaa);
            NS_TEST_ASSERT_MSG_EQ(static_cast<int>(Decode(QuicTlsHandshakeType::FINISHED, fin)),
                                  static_cast<int>(QuicTlsAlert::DECODE_ERROR),
                                  "Finished of " << n);
        }

        // ClientHello: inner vector length wrong; duplicate extension; compression.
        // Offset of the extensions length: header 4 + version 2 + random 32 +
        // session id 1 + suites 2+2 + compression 1+1.
        const size_t extLenAt = 45;
        {
            std::vector<uint8_t> bad = f.clientHello;
            bad[extLenAt + 1] = static_cast<uint8_t>(bad[extLenAt + 1] + 1);
            NS_TEST_ASSERT_MSG_EQ(static_cast<int>(Decode(QuicTlsHandshakeType::CLIENT_HELLO, bad)),
                                  static_cast<int>(QuicTlsAlert::DECODE_ERROR),
                                  "extension block length");
        }
        {
            std::vector<uint8_t> dup = f.clientHello;
            const uint8_t groups[] = {0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x1d};
            dup.insert(dup.end(), groups, groups + sizeof(groups));
            size_t extLen = (size_t(dup[extLenAt]) << 8 | dup[extLenAt + 1]) + sizeof(groups);
            dup[extLenAt] = static_cast<uint8_t>(extLen >> 8);
            dup[extLenAt + 1] = static_cast<uint8_t>(extLen);
            FixHeader(dup);
            NS_TEST_ASSERT_MSG_EQ(static_cast<int>(Decode(QuicTlsHandshakeType::CLIENT_HELLO, dup)),
                                  static_cast<int>(QuicTlsAlert::ILLEGAL_PARAMETER),
                                  "duplicate supported_groups");
        }
        {
            QuicTlsClientHello ch;
            ch.compressionMethods = {1};
            auto msg = QuicTlsEncodeClientHello(ch);
            NS_TEST_ASSERT_MSG_EQ(static_cast<int>(Decode(QuicTlsHandshakeType::CLIENT_HELLO, msg)),
                                  static_cast<int>(QuicTlsAlert::ILLEGAL_PARAMETER),
                                  "compression method 1");
            ch.compressionMethods = {0};
            ch.legacySessionId.assign(33, 1);
            NS_TEST_ASSERT_MSG_EQ(QuicTlsEncodeClientHello(ch).empty(), true, "33-byte id");
        }
        {
            // An x25519 share of the wrong length.
            QuicTlsServerHello sh;
            auto msg = QuicTlsEncodeServerHello(sh);
            // key_share ext at the end: ... 00 33 00 24 00 1d 00 20 <32 bytes>
            std::vector<uint8_t> bad(msg.begin(), msg.end() - 1);
            bad[bad.size() - 32] = 0x1f; // key_exchange length 31
            bad[bad.size() - 36] = 0x23; // extension length 35
            size_t extLenPos = 4 + 2 + 32 + 1 + 2 + 1;
            bad[extLenPos + 1] = static_cast<uint8_t>(bad[extLenPos + 1] - 1);
            FixHeader(bad);
            NS_TEST_ASSERT_MSG_EQ(static_cast<int>(Decode(QuicTlsHandshakeType::SERVER_HELLO, bad)),
                                  static_cast<int>(QuicTlsAlert::ILLEGAL_PARAMETER),
                                  "31-byte x25519 share");
        }
        {
            // EncryptedExtensions carrying key_share.
            std::vector<uint8_t> ee = {8, 0, 0, 6, 0, 4, 0, 51, 0, 0};
            NS_TEST_ASSERT_MSG_EQ(
                static_cast<int>(Decode(QuicTlsHandshakeType::ENCRYPTED_EXTENSIONS, ee)),
                static_cast<int>(QuicTlsAlert::ILLEGAL_PARAMETER),
                "key_share in EE");
        }
        NS_TEST_ASSERT_MSG_EQ(QuicTlsAlertName(QuicTlsAlert::DECODE_ERROR), "decode_error", "name");
        NS_TEST_ASSERT_MSG_EQ(Code(QuicTlsAlertToTransportError(QuicTlsAlert::DECRYPT_ERROR)),
                              0x133,
                              "CRYPTO_ERROR(decrypt_error)");
    }
};

/**
 * \ingroup quic-migration-tests
 * Hostile or broken peers at the state machine: wrong Finished and wrong
 * signature (decrypt_error), wrong levels and types (unexpected_message), missing
 * QUIC extensions, version, suite and ALPN failures, oversized messages, leftover
 * bytes, HRR; partial messages wait; a failed handshake stays inert.
 */
class QuicTlsStateMachineErrorsTestCase : public TestCase
{
  public:
    QuicTlsStateMachineErrorsTestCase()
        : TestCase("State machine: wrong Finished, bad peers -> CRYPTO_ERROR codes")
    {
    }

  private:
    /// Feed a ClientHello built from hello to a fresh server; return its error code.
    static uint64_t ServerError(const QuicTlsClientHello& hello)
    {
        QuicTlsHandshake server(QuicTlsRole::SERVER, MakeConfig(2));
        auto msg = QuicTlsEncodeClientHello(hello);
        return Code(server.ReceiveCrypto(QuicTlsLevel::INITIAL, msg.data(), msg.size()));
    }

    /// A valid ClientHello from the model's client.
    static QuicTlsClientHello GoodHello()
    {
        QuicTlsConfig c = MakeConfig(1);
        QuicTlsClientHello ch;
        ch.random = c.random;
        ch.keyShare = c.keyShare;
        ch.alpn = c.alpn;
        ch.transportParameters = c.transportParameters;
        return ch;
    }

    /// Feed a ServerHello built from hello to a started client; return its error code.
    static uint64_t ClientShError(const QuicTlsServerHello& hello)
    {
        auto client = StartedClient();
        auto msg = QuicTlsEncodeServerHello(hello);
        return Code(client->ReceiveCrypto(QuicTlsLevel::INITIAL, msg.data(), msg.size()));
    }

    /// Feed the reference server flight with message i replaced; return the client's error.
    static uint64_t ClientHsError(const Flights& f, size_t i, const std::vector<uint8_t>& msg)
    {
        auto client = ClientAfterServerHello(f);
        auto hs = f.serverHs;
        hs[i] = msg;
        auto flight = Join(hs);
        return Code(client->ReceiveCrypto(QuicTlsLevel::HANDSHAKE, flight.data(), flight.size()));
    }

    void DoRun() override
    {
        Flights f = ReferenceFlights();
        NS_TEST_ASSERT_MSG_EQ(f.serverHs.size(), 4, "EE, Certificate, CV, Finished");
        NS_TEST_ASSERT_MSG_EQ(ServerError(GoodHello()), 0, "good ClientHello");

        // Wrong server Finished, wrong signature, wrong client Finished: decrypt_error.
        {
            auto fin = f.serverHs[3];
            fin.back() ^= 1;
            auto client = ClientAfterServerHello(f);
            auto hs = f.serverHs;
            hs[3] = fin;
            auto flight = Join(hs);
            NS_TEST_ASSERT_MSG_EQ(
                Code(client->ReceiveCrypto(QuicTlsLevel::HANDSHAKE, flight.data(), flight.size())),
                0x133,
                "wrong server Finished");
            NS_TEST_ASSERT_MSG_EQ(static_cast<int>(client->GetAlert()), 51, "decrypt_error");
            NS_TEST_ASSERT_MSG_EQ(client->HasApplicationSecrets(), false, "no 1-RTT keys");
            NS_TEST_ASSERT_MSG_EQ(client->IsHandshakeComplete(), false, "not complete");
            NS_TEST_ASSERT_MSG_EQ(client->GetOutgoingSize(QuicTlsLevel::HANDSHAKE),
                                  0,
                                  "no client Finished");
            // Inert afterwards.
            auto good = Join(f.serverHs);
            NS_TEST_ASSERT_MSG_EQ(
                Code(client->ReceiveCrypto(QuicTlsLevel::HANDSHAKE, good.data(), good.size())),
                0x133,
                "still failed");
        }
        {
            auto cv = f.serverHs[2];
            cv[20] ^= 0x10;
            NS_TEST_ASSERT_MSG_EQ(ClientHsError(f, 2, cv), 0x133, "wrong CertificateVerify");
            auto ee = f.serverHs[0];
            ee.back() ^= 0x01; // inside the transport parameters: transcript changes
            NS_TEST_ASSERT_MSG_EQ(ClientHsError(f, 0, ee), 0x133, "tampered EE breaks the CV");
        }
        {
            QuicTlsHandshake server(QuicTlsRole::SERVER, MakeConfig(2));
            server.ReceiveCrypto(QuicTlsLevel::INITIAL, f.clientHello.data(), f.clientHello.size());
            auto fin = f.clientFinished;
            fin[10] ^= 0x80;
            NS_TEST_ASSERT_MSG_EQ(
                Code(server.ReceiveCrypto(QuicTlsLevel::HANDSHAKE, fin.data(), fin.size())),
                0x133,
                "wrong client Finished");
            NS_TEST_ASSERT_MSG_EQ(server.IsHandshakeComplete(), false, "server not complete");
        }

        // Server-side ClientHello checks.
        {
            auto ch = GoodHello();
            ch.legacySessionId = {1, 2, 3};
            NS_TEST_ASSERT_MSG_EQ(ServerError(ch), 0x0a, "session id: PROTOCOL_VIOLATION");
            ch = GoodHello();
            ch.hasTransportParameters = false;
            NS_TEST_ASSERT_MSG_EQ(ServerError(ch), 0x16d, "no transport parameters");
            ch = GoodHello();
            ch.alpn = {"h2"};
            NS_TEST_ASSERT_MSG_EQ(ServerError(ch), 0x178, "no common ALPN");
            ch.alpn.clear();
            NS_TEST_ASSERT_MSG_EQ(ServerError(ch), 0x178, "no ALPN");
            ch = GoodHello();
            ch.supportedVersions = {0x0303};
            NS_TEST_ASSERT_MSG_EQ(ServerError(ch), 0x146, "TLS 1.2 only");
            ch = GoodHello();
            ch.cipherSuites = {0x1302};
            NS_TEST_ASSERT_MSG_EQ(ServerError(ch), 0x128, "no AES-128-GCM");
            ch = GoodHello();
            ch.signatureAlgorithms = {0x0403};
            NS_TEST_ASSERT_MSG_EQ(ServerError(ch), 0x128, "no ed25519");
            ch.signatureAlgorithms.clear();
            NS_TEST_ASSERT_MSG_EQ(ServerError(ch), 0x132, "empty signature_algorithms list");
            ch = GoodHello();
            ch.compressionMethods = {0, 1};
            NS_TEST_ASSERT_MSG_EQ(ServerError(ch), 0x12f, "compression");
        }
        {
            // An unknown extension in the ClientHello is ignored.
            auto ch = QuicTlsEncodeClientHello(GoodHello());
            const size_t extLenAt = 45;
            const uint8_t unknown[] = {0x7a, 0x7a, 0x00, 0x01, 0x00};
            ch.insert(ch.end(), unknown, unknown + sizeof(unknown));
            size_t extLen = (size_t(ch[extLenAt]) << 8 | ch[extLenAt + 1]) + sizeof(unknown);
            ch[extLenAt] = static_cast<uint8_t>(extLen >> 8);
            ch[extLenAt + 1] = static_cast<uint8_t>(extLen);
            FixHeader(ch);
            QuicTlsHandshake server(QuicTlsRole::SERVER, MakeConfig(2));
            NS_TEST_ASSERT_MSG_EQ(
                Code(server.ReceiveCrypto(QuicTlsLevel::INITIAL, ch.data(), ch.size())),
                0,
                "GREASE-like extension ignored");
            NS_TEST_ASSERT_MSG_EQ(server.HasHandshakeSecrets(), true, "server proceeded");
        }

        // Client-side ServerHello checks.
        {
            QuicTlsServerHello sh;
            NS_TEST_ASSERT_MSG_EQ(ClientShError(sh), 0, "good ServerHello");
            sh.cipherSuite = 0x1302;
            NS_TEST_ASSERT_MSG_EQ(ClientShError(sh), 0x12f, "suite not offered");
            sh = QuicTlsServerHello();
            sh.selectedVersion = 0x0303;
            NS_TEST_ASSERT_MSG_EQ(ClientShError(sh), 0x12f, "selected TLS 1.2");
            sh = QuicTlsServerHello();
            sh.hasKeyShare = false;
            NS_TEST_ASSERT_MSG_EQ(ClientShError(sh), 0x16d, "no key_share");
            sh = QuicTlsServerHello();
            sh.keyShareGroup = 0x0017;
            NS_TEST_ASSERT_MSG_EQ(ClientShError(sh), 0x12f, "secp256r1 share");
            sh = QuicTlsServerHello();
            sh.legacySessionIdEcho = {9};
            NS_TEST_ASSERT_MSG_EQ(ClientShError(sh), 0x12f, "session id echo");
            sh = QuicTlsServerHello();
            auto hrr = FromHex("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");
            std::copy(hrr.begin(), hrr.end(), sh.random.begin());
            sh.hasKeyShare = false;
            auto msg = QuicTlsEncodeServerHello(sh);
            // HRR key_share holds only the selected group (secp256r1 here).
            const uint8_t ks[] = {0x00, 0x33, 0x00, 0x02, 0x00, 0x17};
            msg.insert(msg.end(), ks, ks + sizeof(ks));
            msg[43] = static_cast<uint8_t>(msg[43] + sizeof(ks)); // extensions length
            FixHeader(msg);
            QuicTlsServerHello decoded;
            NS_TEST_ASSERT_MSG_EQ(
                static_cast<int>(QuicTlsDecodeServerHello(msg.data(), msg.size(), decoded)),
                0,
                "HRR decodes");
            NS_TEST_ASSERT_MSG_EQ(decoded.helloRetryRequest, true, "HRR flagged");
            NS_TEST_ASSERT_MSG_EQ(decoded.keyShareGroup, 0x0017, "HRR selected group");
            auto client = StartedClient();
            NS_TEST_ASSERT_MSG_EQ(
                Code(client->ReceiveCrypto(QuicTlsLevel::INITIAL, msg.data(), msg.size())),
                0x12f,
                "HelloRetryRequest is not modelled: illegal_parameter");
        }

        // Client-side EncryptedExtensions and Certificate checks.
        {
            QuicTlsEncryptedExtensions ee;
            ee.alpn = "hq-interop";
            ee.transportParameters = {1, 2, 3};
            auto good = QuicTlsEncodeEncryptedExtensions(ee);
            // Accepted, then the CV fails because the transcript differs.
            NS_TEST_ASSERT_MSG_EQ(ClientHsError(f, 0, good), 0x133, "substituted EE");
            ee.alpn = "";
            NS_TEST_ASSERT_MSG_EQ(ClientHsError(f, 0, QuicTlsEncodeEncryptedExtensions(ee)),
                                  0x178,
                                  "EE without ALPN");
            ee.alpn = "h2";
            NS_TEST_ASSERT_MSG_EQ(ClientHsError(f, 0, QuicTlsEncodeEncryptedExtensions(ee)),
                                  0x12f,
                                  "ALPN not offered");
            ee.alpn = "hq-interop";
            ee.hasTransportParameters = false;
            NS_TEST_ASSERT_MSG_EQ(ClientHsError(f, 0, QuicTlsEncodeEncryptedExtensions(ee)),
                                  0x16d,
                                  "EE without transport parameters");
            QuicTlsCertificate cert;
            NS_TEST_ASSERT_MSG_EQ(ClientHsError(f, 1, QuicTlsEncodeCertificate(cert)),
                                  0x132,
                                  "empty certificate list");
            cert.certificates.push_back({0x30, 0x03, 0x02, 0x01, 0x00});
            NS_TEST_ASSERT_MSG_EQ(ClientHsError(f, 1, QuicTlsEncodeCertificate(cert)),
                                  0x12a,
                                  "garbage DER: bad_certificate");
            cert.requestContext = {1};
            NS_TEST_ASSERT_MSG_EQ(ClientHsError(f, 1, QuicTlsEncodeCertificate(cert)),
                                  0x12f,
                                  "certificate_request_context");
            QuicTlsCertificateVerify cv;
            cv.algorithm = 0x0403;
            cv.signature.assign(64, 0);
            NS_TEST_ASSERT_MSG_EQ(ClientHsError(f, 2, QuicTlsEncodeCertificateVerify(cv)),
                                  0x12f,
                                  "CV algorithm does not match the key");
            // Messages out of order: Finished where Certificate is expected.
            NS_TEST_ASSERT_MSG_EQ(ClientHsError(f, 1, f.serverHs[3]), 0x10a, "out of order");
        }

        // Levels, unknown types, partial, oversized and leftover data.
        {
            QuicTlsHandshake server(QuicTlsRole::SERVER, MakeConfig(2));
            NS_TEST_ASSERT_MSG_EQ(Code(server.ReceiveCrypto(QuicTlsLevel::HANDSHAKE,
                                                            f.clientHello.data(),
                                                            f.clientHello.size())),
                                  0x10a,
                                  "ClientHello at the Handshake level");
        }
        {
            QuicTlsHandshake server(QuicTlsRole::SERVER, MakeConfig(2));
            std::vector<uint8_t> unknown = {0x63, 0, 0, 2, 1, 2};
            NS_TEST_ASSERT_MSG_EQ(
                Code(server.ReceiveCrypto(QuicTlsLevel::INITIAL, unknown.data(), unknown.size())),
                0x10a,
                "unknown message type");
        }
        {
            QuicTlsHandshake server(QuicTlsRole::SERVER, MakeConfig(2));
            size_t n = f.clientHello.size();
            NS_TEST_ASSERT_MSG_EQ(
                Code(server.ReceiveCrypto(QuicTlsLevel::INITIAL, f.clientHello.data(), n - 1)),
                0,
                "partial ClientHello waits");
            NS_TEST_ASSERT_MSG_EQ(server.GetOutgoingSize(QuicTlsLevel::INITIAL), 0, "no output");
            NS_TEST_ASSERT_MSG_EQ(
                Code(server.ReceiveCrypto(QuicTlsLevel::INITIAL, f.clientHello.data() + n - 1, 1)),
                0,
                "last byte");
            NS_TEST_ASSERT_MSG_GT(server.GetOutgoingSize(QuicTlsLevel::INITIAL), 0, "SH queued");
        }
        {
            QuicTlsConfig c = MakeConfig(2);
            c.maxMessageSize = 100;
            QuicTlsHandshake server(QuicTlsRole::SERVER, c);
            NS_TEST_ASSERT_MSG_EQ(
                Code(server.ReceiveCrypto(QuicTlsLevel::INITIAL, f.clientHello.data(), 4)),
                0x0d,
                "message above maxMessageSize: CRYPTO_BUFFER_EXCEEDED");
        }
        {
            auto twice = f.clientHello;
            twice.insert(twice.end(), f.clientHello.begin(), f.clientHello.end());
            QuicTlsHandshake server(QuicTlsRole::SERVER, MakeConfig(2));
            NS_TEST_ASSERT_MSG_EQ(
                Code(server.ReceiveCrypto(QuicTlsLevel::INITIAL, twice.data(), twice.size())),
                0x0a,
                "data left at Initial after the ClientHello");
            auto extra = f.clientHello;
            extra.push_back(1);
            QuicTlsHandshake server2(QuicTlsRole::SERVER, MakeConfig(2));
            NS_TEST_ASSERT_MSG_EQ(
                Code(server2.ReceiveCrypto(QuicTlsLevel::INITIAL, extra.data(), extra.size())),
                0x0a,
                "one byte left at Initial");
        }
        {
            QuicTlsHandshake client(QuicTlsRole::CLIENT, MakeConfig(1));
            NS_TEST_ASSERT_MSG_EQ(Code(client.ReceiveCrypto(QuicTlsLevel::INITIAL,
                                                            f.serverHello.data(),
                                                            f.serverHello.size())),
                                  0x10a,
                                  "ServerHello before Start()");
            QuicTlsConfig c = MakeConfig(1);
            c.transportParameters.assign(70000, 0);
            QuicTlsHandshake big(QuicTlsRole::CLIENT, c);
            NS_TEST_ASSERT_MSG_EQ(Code(big.Start()), 0x01, "oversized transport parameters");
        }
    }
};

/**
 * \ingroup quic-migration-tests
 * No-crash fuzzing: 50 000 deterministic random buffers (half with a plausible
 * header) into every decoder and into a fresh server and a started client, then
 * single-byte mutations and truncations of valid messages. A mutated server
 * Handshake flight must never complete the handshake (transcript integrity).
 */
class QuicTlsFuzzTestCase : public TestCase
{
  public:
    QuicTlsFuzzTestCase()
        : TestCase("Fuzz: 50k random buffers and mutated flights, no crash")
    {
    }

  private:
    void DoRun() override
    {
        TestRng rng(20260101);
        const uint8_t types[] = {1, 2, 8, 11, 15, 20};
        size_t accepted = 0;
        size_t inconsistent = 0;
        for (int i = 0; i < 50000; ++i)
        {
            std::vector<uint8_t> buf(rng.Below(300));
            rng.Fill(buf.data(), buf.size());
            if (buf.size() >= 4 && (i & 1))
            {
                buf[0] = types[rng.Below(sizeof(types))];
                size_t len = buf.size() - 4;
                buf[1] = 0;
                buf[2] = static_cast<uint8_t>(len >> 8);
                buf[3] = static_cast<uint8_t>(len);
            }
            const uint8_t* p = buf.empty() ? nullptr : buf.data();
            QuicTlsClientHello ch;
            QuicTlsServerHello sh;
            QuicTlsEncryptedExtensions ee;
            QuicTlsCertificate cert;
            QuicTlsCertificateVerify cv;
            QuicTlsSecret fin;
            accepted += QuicTlsDecodeClientHello(p, buf.size(), ch) == QuicTlsAlert::NO_ALERT;
            accepted += QuicTlsDecodeServerHello(p, buf.size(), sh) == QuicTlsAlert::NO_ALERT;
            accepted +=
                QuicTlsDecodeEncryptedExtensions(p, buf.size(), ee) == QuicTlsAlert::NO_ALERT;
            accepted += QuicTlsDecodeCertificate(p, buf.size(), cert) == QuicTlsAlert::NO_ALERT;
            accepted += QuicTlsDecodeCertificateVerify(p, buf.size(), cv) == QuicTlsAlert::NO_ALERT;
            accepted += QuicTlsDecodeFinished(p, buf.size(), fin) == QuicTlsAlert::NO_ALERT;

            QuicTlsHandshake server(QuicTlsRole::SERVER, MakeConfig(2));
            server.ReceiveCrypto(QuicTlsLevel::INITIAL, p, buf.size());
            inconsistent +=
                server.HasFailed() != (server.GetError() != QuicTransportError::NO_ERROR);
            auto client = StartedClient();
            client->ReceiveCrypto(QuicTlsLevel::INITIAL, p, buf.size());
            inconsistent +=
                client->HasFailed() != (client->GetError() != QuicTransportError::NO_ERROR);
        }
        NS_TEST_ASSERT_MSG_EQ(inconsistent, 0, "HasFailed() matches GetError()");

        // Mutations of a real handshake.
        Flights f = ReferenceFlights();
        auto flight = Join(f.serverHs);
        size_t completed = 0;
        for (int i = 0; i < 3000; ++i)
        {
            // Server flight: flip one byte; the client must never complete.
            auto bad = flight;
            bad[rng.Below(bad.size())] ^= static_cast<uint8_t>(1 + rng.Below(255));
            auto client = ClientAfterServerHello(f);
            client->ReceiveCrypto(QuicTlsLevel::HANDSHAKE, bad.data(), bad.size());
            completed += client->IsHandshakeComplete();

            // ClientHello: flip, truncate or extend; the server must not crash.
            auto ch = f.clientHello;
            switch (rng.Below(3))
            {
            case 0:
                ch[rng.Below(ch.size())] ^= static_cast<uint8_t>(1 + rng.Below(255));
                break;
            case 1:
                ch.resize(rng.Below(ch.size()));
                if (ch.size() >= 4)
                {
                    FixHeader(ch);
                }
                break;
            default:
                ch.insert(ch.begin() + rng.Below(ch.size()), static_cast<uint8_t>(rng.Next()));
                break;
            }
            QuicTlsHandshake server(QuicTlsRole::SERVER, MakeConfig(2));
            server.ReceiveCrypto(QuicTlsLevel::INITIAL, ch.data(), ch.size());

            // ServerHello: flip one byte.
            auto sh = f.serverHello;
            sh[rng.Below(sh.size())] ^= static_cast<uint8_t>(1 + rng.Below(255));
            auto c2 = StartedClient();
            c2->ReceiveCrypto(QuicTlsLevel::INITIAL, sh.data(), sh.size());
        }
        NS_TEST_ASSERT_MSG_EQ(completed, 0, "a tampered server flight never completes");
    }
};

/**
 * \ingroup quic-migration-tests
 * TLS 1.3 handshake model tests.
 */
class QuicTlsTestSuite : public TestSuite
{
  public:
    QuicTlsTestSuite()
        : TestSuite("quic-tls", QUIC_SUITE_UNIT)
    {
        AddTestCase(new QuicTlsRfc8448TestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicTlsHandshakeTestCase(0, 1000), QUIC_TEST_QUICK);
        AddTestCase(new QuicTlsHandshakeTestCase(1, 1000), QUIC_TEST_QUICK);
        AddTestCase(new QuicTlsHandshakeTestCase(37, 4000), QUIC_TEST_QUICK);
        AddTestCase(new QuicTlsHandshakeTestCase(1, 12000), QUIC_TEST_QUICK);
        AddTestCase(new QuicTlsHandshakeTestCase(37, 12000), QUIC_TEST_QUICK);
        AddTestCase(new QuicTlsPostHandshakeTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicTlsCertificateTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicTlsDeterminismTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicTlsMalformedMessagesTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicTlsStateMachineErrorsTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicTlsFuzzTestCase, QUIC_TEST_QUICK);
    }
};

static QuicTlsTestSuite g_quicTlsTestSuite; //!< Static variable for test initialization
