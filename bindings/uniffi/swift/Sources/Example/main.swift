// Usage example of the generated Swift API against a running emulator:
//   target/debug/lpconfig-emulator --port 0   # prints the URL
//   swift run Example http://127.0.0.1:PORT
import Foundation
import LpConfig

@main
struct Example {
    static func main() async {
        let url = CommandLine.arguments.dropFirst().first ?? "http://127.0.0.1:8080"
        do {
            let client = try Client(config: ClientConfig(
                account: "demo",
                credentials: .password(username: "admin", password: Secret(value: "demo-password-1")),
                csdsUrl: url
            ))
            let users = client.users()

            // Reads carry the collection revision; writes say what they expect.
            let all = try await users.list()
            print("\(all.value.count) users at revision \(all.revision ?? 0)")

            let created = try await users.create(user: User(
                loginName: "swift.user",
                fullName: "Swift User",
                nickname: "Swifty",
                isEnabled: true,
                email: "swift.user@example.com",
                password: Secret(value: "Swift-pass-1"),
                profileIds: [2_359_273_712]
            ))
            guard let id = created.value.id, let revision = created.revision else { return }
            var changed = created.value
            changed.maxChats = 4
            _ = try await users.update(user: changed, ifMatch: .revision(revision: revision))

            // Two calls in flight at once; neither blocks this task's thread.
            async let groups = client.agentGroups().tree()
            async let skills = client.skills().list()
            let (tree, catalog) = try await (groups, skills)
            print("\(tree.count) root group(s), \(catalog.value.count) skills")

            _ = try await users.delete(id: id, ifMatch: .any)
            try await client.close()
        } catch let error as LpError {
            switch error {
            case let .NotFound(message, status, _, method, url, _, _):
                print("not found: \(message) (\(method ?? "") \(url ?? "") -> \(status ?? 0))")
            case let .Conflict(message, _, _, _, _, _, _):
                print("someone else changed it first: \(message)")
            default:
                print("lpconfig error \(error.code()): \(error)")
            }
        } catch {
            print("unexpected: \(error)")
        }
    }
}
