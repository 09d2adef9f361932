// XCTest cases for the generated Swift API. Not run in CI (no Swift compiler
// on the CI machines): they are parse-checked there, and run on a Mac with
// `LPCONFIG_EMULATOR_URL=http://127.0.0.1:PORT swift test`.
import Foundation
import XCTest
@testable import LpConfig

final class LpConfigTests: XCTestCase {
    private func client() throws -> Client {
        guard let url = ProcessInfo.processInfo.environment["LPCONFIG_EMULATOR_URL"] else {
            throw XCTSkip("set LPCONFIG_EMULATOR_URL to a running lpconfig-emulator")
        }
        return try Client(config: ClientConfig(
            account: "demo",
            credentials: .password(username: "admin", password: Secret(value: "demo-password-1")),
            csdsUrl: url,
            retryDelaysMs: [10]
        ))
    }

    func testBadAccountIsAConfigErrorNamingTheField() {
        XCTAssertThrowsError(try Client(config: ClientConfig(
            account: "bad id!",
            credentials: .bearer(token: Secret(value: "t"))
        ))) { error in
            guard case let LpError.Config(_, status, field, _, _, attempts, _) = error else {
                return XCTFail("expected LpError.Config, got \(error)")
            }
            XCTAssertEqual(field, "account")
            XCTAssertNil(status)
            XCTAssertEqual(attempts, 0)
        }
    }

    func testSecretsNeverPrint() {
        let creds = Credentials.apiKey(
            appKey: "app", secret: Secret(value: "SEC-1"),
            accessToken: "tok", accessTokenSecret: Secret(value: "TS-2")
        )
        let text = "\(creds) \(Secret(value: "PW-3"))"
        for secret in ["SEC-1", "TS-2", "PW-3"] {
            XCTAssertFalse(text.contains(secret), "\(secret) leaked in \(text)")
        }
    }

    func testCreateUpdateDeleteUser() async throws {
        let users = try client().users()
        let created = try await users.create(user: User(
            loginName: "xctest.user", nickname: "X", isEnabled: true, email: "xctest.user@example.com",
            password: Secret(value: "Xc-test-pass-1"), profileIds: [2_359_273_712]
        ))
        let id = try XCTUnwrap(created.value.id)
        var read = try await users.get(id: id)
        XCTAssertEqual(read.value.loginName, "xctest.user")
        read.value.nickname = "XC"
        _ = try await users.update(user: read.value, ifMatch: .revision(revision: try XCTUnwrap(read.revision)))
        let reread = try await users.get(id: id)
        XCTAssertEqual(reread.value.nickname, "XC")
        _ = try await users.delete(id: id, ifMatch: .any)
        let remaining = try await users.list()
        XCTAssertFalse(remaining.value.contains { $0.id == id })
    }

    func testNotFoundCarriesTheStatus() async throws {
        let users = try client().users()
        do {
            _ = try await users.get(id: 987_654_321)
            XCTFail("expected NotFound")
        } catch let LpError.NotFound(_, status, _, method, _, _, _) {
            XCTAssertEqual(status, 404)
            XCTAssertEqual(method, "GET")
        }
    }

    func testConcurrentCallsDoNotBlock() async throws {
        let c = try client()
        async let users = c.users().list()
        async let groups = c.agentGroups().list()
        let (u, g) = try await (users, groups)
        XCTAssertFalse(u.value.isEmpty)
        XCTAssertFalse(g.value.isEmpty)
    }
}
