/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: whole datagrams delivered into a live, established connection at the
// server's endpoint (RFC 9000 §5.2 demultiplexing, §9 address changes, §10.3 stateless resets,
// §12-§19 frame processing), then the simulator runs briefly so that timers and replies run.
//
// Input: byte 0 selects how the rest is used:
//   bit 0 = 0: the rest is a raw UDP payload;
//   bit 0 = 1: the rest is a plaintext frame sequence sealed into an authentic 1-RTT packet of
//              the client (its keys come from the client's key log), so that it passes packet
//              protection and reaches the frame handlers of the server's connection;
//   bit 1: source address: 0 = the client's own address (on-path), 1 = a foreign address
//          (off-path, spoofed).
// The world is rebuilt every RESET_EVERY inputs, and soon after the connection has closed,
// so that most inputs reach an open connection.

#include "fuzz-world.h"

#include <cstdlib>

using namespace ns3;

namespace
{

constexpr uint32_t RESET_EVERY = 2000;
/// After the connection closed, inputs still reach the closing connection and the endpoint
/// for this many inputs before the (expensive) rebuild.
constexpr uint32_t RESET_AFTER_CLOSE = 64;

struct State
{
    quicfuzz::World world;
    bool built{false};
    uint32_t inputs{0};
    uint64_t pn{1u << 20};
    QuicPacketKeys clientKeys{};
    bool haveKeys{false};
    InetSocketAddress clientAddress{Ipv4Address(), 0};
    InetSocketAddress serverAddress{Ipv4Address(), 0};
};

State*
Get()
{
    static State* s = new State();
    return s;
}

void
Rebuild(State& s)
{
    if (s.built)
    {
        s.world.Tear();
        s = State();
    }
    s.built = true;
    if (!s.world.Build(2000, MilliSeconds(300), "/tmp/quic-fuzz-live-keylog.txt"))
    {
        std::abort(); // the set-up itself must work
    }
    // Injected sealed packets use packet numbers the real client never sent: the server's
    // ACKs of them must not reach the client (it would close on an ACK of an unsent packet).
    s.world.IsolateClient();
    s.clientAddress = s.world.ClientAddress();
    s.serverAddress = s.world.ServerAddress();
    auto secrets = quicfuzz::ReadKeyLog(s.world.keyLog);
    auto it = secrets.find("CLIENT_TRAFFIC_SECRET_0");
    s.haveKeys = it != secrets.end() && QuicDerivePacketKeys(it->second, s.clientKeys);
    if (!s.haveKeys)
    {
        std::abort();
    }
}

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0 || size > 1500)
    {
        return 0;
    }
    State& s = *Get();
    ++s.inputs;
    bool closed = !s.world.server || s.world.server->GetState() != QuicConnection::CONNECTED;
    if (!s.built || s.inputs >= RESET_EVERY || (closed && s.inputs >= RESET_AFTER_CLOSE))
    {
        Rebuild(s);
    }
    const uint8_t mode = data[0];
    InetSocketAddress from =
        (mode & 2) ? InetSocketAddress(Ipv4Address("10.9.9.9"), 5555) : s.clientAddress;
    std::vector<uint8_t> datagram;
    if (mode & 1)
    {
        datagram = quicfuzz::SealOneRtt(s.clientKeys,
                                        s.world.client->GetPeerCid(),
                                        s.pn++,
                                        data + 1,
                                        size - 1);
    }
    else
    {
        datagram.assign(data + 1, data + size);
    }
    quicfuzz::InjectUdp(s.world.nodes.Get(1),
                        datagram.data(),
                        datagram.size(),
                        from,
                        s.serverAddress);
    Simulator::Stop(MilliSeconds(2));
    Simulator::Run();
    return 0;
}
