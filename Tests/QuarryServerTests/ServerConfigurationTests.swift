import Testing
@testable import QuarryServer

@Suite("Configuration")
struct ServerConfigurationTests {
    @Test func defaultsMatchTheDocumentation() {
        let configuration = ServerConfiguration(socketPath: "/tmp/x.sock")
        #expect(configuration.socketMode == 0o600)
        #expect(configuration.socketGroup == nil)
        #expect(configuration.workers == 0 && configuration.resolvedWorkerCount >= 1)
        #expect(configuration.maxBodyBytes == 1_048_576)
        #expect(configuration.maxConnections == 256)
        #expect(configuration.idleTimeoutSeconds == 60)
        #expect(configuration.requestTimeoutSeconds == 10)
        #expect(configuration.maxHeaderBytes == 81_920)
        #expect(configuration.maxLimit == 1000)
        #expect(configuration.queryMaxBytes == 8192)
        #expect(configuration.shutdownTimeoutSeconds == 5)
        #expect(configuration.workerSpinMicroseconds == 250)
    }

    @Test func workerSpinIsBounded() throws {
        for spin in [0, 250, 1_000_000] {
            try ServerConfiguration(socketPath: "/tmp/x.sock", workerSpinMicroseconds: spin).validate()
        }
        for spin in [-1, 1_000_001] {
            #expect(throws: ServerStartupError.self, "\(spin)") {
                try ServerConfiguration(socketPath: "/tmp/x.sock", workerSpinMicroseconds: spin).validate()
            }
        }
    }

    @Test func defaultSocketPath() {
        #expect(ServerConfiguration.defaultSocketPath(environment: ["XDG_RUNTIME_DIR": "/run/user/1000"])
                == "/run/user/1000/quarry/quarry.sock")
        #expect(ServerConfiguration.defaultSocketPath(environment: ["XDG_RUNTIME_DIR": ""]).hasPrefix("/tmp/quarry-"))
        #expect(ServerConfiguration.defaultSocketPath(environment: [:]).hasSuffix("/quarry.sock"))
    }

    @Test func socketModesAreOctal() {
        #expect(ServerConfiguration.parseSocketMode("0600") == 0o600)
        #expect(ServerConfiguration.parseSocketMode("660") == 0o660)
        #expect(ServerConfiguration.parseSocketMode("0o770") == 0o770)
        for bad in ["", "0999", "rw-rw----", "07777", "-1"] {
            #expect(ServerConfiguration.parseSocketMode(bad) == nil, "\(bad)")
        }
    }

    @Test func socketGroupsByNameOrID() {
        #expect(SocketGroup("quarry") == .name("quarry"))
        #expect(SocketGroup("1001") == .id(1001))
        #expect(SocketGroup("") == nil)
    }

    @Test func invalidValuesAreRejected() {
        var configuration = ServerConfiguration(socketPath: "/tmp/x.sock")
        configuration.maxConnections = 0
        #expect(throws: ServerStartupError.self) { try configuration.validate() }
        configuration = ServerConfiguration(socketPath: "")
        #expect(throws: ServerStartupError.self) { try configuration.validate() }
        configuration = ServerConfiguration(socketPath: "/tmp/x.sock", requestTimeoutSeconds: 0)
        #expect(throws: ServerStartupError.self) { try configuration.validate() }
        configuration = ServerConfiguration(socketPath: "/tmp/x.sock", maxHeaderBytes: 512)
        #expect(throws: ServerStartupError.self) { try configuration.validate() }
    }
}
