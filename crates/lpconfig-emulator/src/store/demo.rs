//! The `demo` seed: a small, deterministic account (same ids, names and dates on
//! every run) so tests, examples and docs can name its entities.
//!
//! | what | ids |
//! | --- | --- |
//! | groups | `-1` Main Group; `1001` Support (-1); `1002` Billing (1001); `1003` Tech (1001); `1004` Sales (-1) |
//! | profiles | `2359273612` Administrator (1), `2359273712` Agent (2), `2359273812` Agent Manager (3), `2359273912` Campaign Manager (4) |
//! | LOBs | `6549273612` Retail, `6549273712` Business |
//! | skills | `2359235912` Billing, `2359236012` Technical Support, `2359236112` Sales, `2359236212` VIP |
//! | users | `4052816112` + 100 × n for the 20 users of [`DEMO_USERS`], in that order |
//!
//! Every password user's password is [`DEMO_PASSWORD`]; `demo-bot` is an API user.

use serde_json::{json, Value};

use super::time::Clock;
use super::{AccountStore, CollectionKind, StoreConfig, MAIN_GROUP_ID};

/// Password of every human demo user (`admin` included).
pub const DEMO_PASSWORD: &str = "demo-password-1";
/// The app key of the `demo-bot` API user (matches `seeds/demo.toml`).
pub const DEMO_BOT_APP_KEY: &str = "d3m0b07a99k3y00000000000000000b1";
/// `dateUpdated` and friends of every seeded entity.
pub const DEMO_DATE: &str = "2024-03-01 09:15:00";

const SUPPORT: i64 = 1001;
const BILLING: i64 = 1002;
const TECH: i64 = 1003;
const SALES: i64 = 1004;
const P_ADMIN: i64 = 2_359_273_612;
const P_AGENT: i64 = 2_359_273_712;
const P_MANAGER: i64 = 2_359_273_812;
const P_CAMPAIGN: i64 = 2_359_273_912;
const LOB_RETAIL: i64 = 6_549_273_612;
const LOB_BUSINESS: i64 = 6_549_273_712;
const S_BILLING: i64 = 2_359_235_912;
const S_TECH: i64 = 2_359_236_012;
const S_SALES: i64 = 2_359_236_112;
const S_VIP: i64 = 2_359_236_212;

/// Login names of the demo users in id order (`4052816112`, `4052816212`, ...).
pub const DEMO_USERS: [&str; 20] = [
    "admin",
    "demo-bot",
    "maria.ops",
    "tom.lead",
    "carol.campaigns",
    "jane.doe",
    "sam.lee",
    "ana.silva",
    "omar.haddad",
    "li.wei",
    "priya.shah",
    "lucas.martin",
    "emma.jones",
    "noah.kim",
    "sofia.rossi",
    "liam.brown",
    "mia.garcia",
    "yuki.tanaka",
    "ivan.petrov",
    "chloe.dubois",
];

fn human(login: &str, full: &str, profiles: Value) -> Value {
    let nick = full.split(' ').next().unwrap_or(full);
    json!({
        "loginName": login, "fullName": full, "nickname": nick,
        "email": format!("{login}@example.com"), "passwordSh": DEMO_PASSWORD,
        "isEnabled": true, "maxChats": 0, "profileIds": profiles, "userTypeId": 1,
        "employeeId": format!("EMP-{:04}", login.len() * 97 % 10_000),
    })
}

fn agent(login: &str, full: &str, group: i64, skills: Value, lobs: Value) -> Value {
    let mut u = human(login, full, json!([P_AGENT]));
    u["maxChats"] = 3.into();
    u["maxAsyncChats"] = 10.into();
    u["memberOf"] = json!({"agentGroupId": group});
    u["skillIds"] = skills;
    u["lobIds"] = lobs;
    u
}

fn users() -> Vec<Value> {
    let mut maria = human("maria.ops", "Maria Ops", json!([P_AGENT, P_MANAGER]));
    maria["maxChats"] = 1.into();
    maria["memberOf"] = json!({"agentGroupId": SUPPORT});
    maria["managerOf"] = json!([{"agentGroupId": SUPPORT}, {"agentGroupId": BILLING}]);
    let mut tom = human("tom.lead", "Tom Lead", json!([P_MANAGER]));
    tom["managerOf"] = json!([{"agentGroupId": TECH}, {"agentGroupId": SALES}]);
    let bot = json!({
        "loginName": "demo-bot", "fullName": "Demo Bot", "nickname": "Botty",
        "email": "bots@example.com", "isEnabled": true, "maxChats": 0, "maxAsyncChats": 200,
        "profileIds": [P_AGENT], "skillIds": [S_TECH], "memberOf": {"agentGroupId": TECH},
        "isApiUser": true, "allowedAppKeys": DEMO_BOT_APP_KEY, "userTypeId": 2,
    });
    let mut omar = agent("omar.haddad", "Omar Haddad", BILLING, json!([S_BILLING]), json!([LOB_RETAIL]));
    omar["isEnabled"] = false.into();
    vec![
        human("admin", "Demo Admin", json!([P_ADMIN])),
        bot,
        maria,
        tom,
        human("carol.campaigns", "Carol Campaigns", json!([P_CAMPAIGN])),
        agent("jane.doe", "Jane Doe", BILLING, json!([S_BILLING]), json!([LOB_RETAIL])),
        agent("sam.lee", "Sam Lee", BILLING, json!([S_BILLING]), json!([LOB_RETAIL])),
        agent("ana.silva", "Ana Silva", BILLING, json!([S_BILLING, S_VIP]), json!([LOB_RETAIL])),
        omar,
        agent("li.wei", "Li Wei", BILLING, json!([S_BILLING]), json!([])),
        agent("priya.shah", "Priya Shah", TECH, json!([S_TECH]), json!([])),
        agent("lucas.martin", "Lucas Martin", TECH, json!([S_TECH]), json!([])),
        agent("emma.jones", "Emma Jones", TECH, json!([S_TECH, S_VIP]), json!([])),
        agent("noah.kim", "Noah Kim", TECH, json!([S_TECH]), json!([])),
        agent("sofia.rossi", "Sofia Rossi", TECH, json!([S_TECH]), json!([])),
        agent("liam.brown", "Liam Brown", SALES, json!([S_SALES]), json!([LOB_BUSINESS])),
        agent("mia.garcia", "Mia Garcia", SALES, json!([S_SALES]), json!([LOB_BUSINESS])),
        agent("yuki.tanaka", "Yuki Tanaka", SALES, json!([S_SALES, S_VIP]), json!([LOB_BUSINESS])),
        agent("ivan.petrov", "Ivan Petrov", SUPPORT, json!([S_BILLING, S_TECH]), json!([])),
        agent(
            "chloe.dubois",
            "Chloe Dubois",
            SUPPORT,
            json!([S_BILLING, S_TECH, S_VIP]),
            json!([LOB_BUSINESS]),
        ),
    ]
}

/// Builds the demo account through the ordinary validated write paths, so the seed
/// can never hold data the store itself would refuse.
pub(crate) fn build(account_id: &str) -> AccountStore {
    let mut store = AccountStore::new(account_id, StoreConfig::default());
    store.set_clock(Clock::Fixed(DEMO_DATE.into()));
    // Rewrite the two seeded collections' dates so the whole seed is deterministic.
    for kind in [CollectionKind::AgentGroups, CollectionKind::Profiles] {
        let ids: Vec<i64> = store.table(kind).entries.keys().copied().collect();
        for id in ids {
            let e = &store.table(kind).entries[&id];
            let (mut stored, stamp) = (e.stored.clone(), e.stamp);
            stored.insert("dateUpdated".into(), DEMO_DATE.into());
            store.put(kind, id, stamp, stored, None);
        }
    }
    let group = |name: &str, parent: i64| json!({"name": name, "parentGroupId": parent, "isEnabled": true});
    for (name, parent) in
        [("Support", MAIN_GROUP_ID), ("Billing", SUPPORT), ("Tech", SUPPORT), ("Sales", MAIN_GROUP_ID)]
    {
        store.create(CollectionKind::AgentGroups, vec![group(name, parent)]).expect("demo groups are valid");
    }
    store
        .create(
            CollectionKind::Lobs,
            vec![
                json!({"name": "Retail", "description": "Consumer customers"}),
                json!({"name": "Business", "description": "Business customers"}),
            ],
        )
        .expect("demo LOBs are valid");
    store
        .create(
            CollectionKind::Skills,
            vec![
                json!({"name": "Billing", "description": "Invoices and payments", "lobIds": [LOB_RETAIL]}),
                json!({"name": "Technical Support", "description": "Product troubleshooting"}),
                json!({"name": "Sales", "description": "New business", "lobIds": [LOB_BUSINESS]}),
                json!({"name": "VIP", "description": "Premium customers"}),
            ],
        )
        .expect("demo skills are valid");
    store.create(CollectionKind::Users, users()).expect("demo users are valid");
    store.set_clock(Clock::System);
    store
}
