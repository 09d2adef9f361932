"""Names and ids of the demo seed (crates/lpconfig-emulator/src/store/demo.rs) and a
factory for valid new users."""

from __future__ import annotations

import lpconfig

#: Ids of the demo seed (crates/lpconfig-emulator/src/store/demo.rs).
MAIN_GROUP = -1
SUPPORT, BILLING, TECH, SALES = 1001, 1002, 1003, 1004
SKILL_BILLING, SKILL_TECH, SKILL_SALES, SKILL_VIP = 2359235912, 2359236012, 2359236112, 2359236212
PROFILE_ADMIN, PROFILE_AGENT = 2359273612, 2359273712
LOB_RETAIL = 6549273612
ADMIN_ID = 4052816112
JANE_ID = 4052816112 + 5 * 100
SAM_ID = 4052816112 + 6 * 100
DEMO_PASSWORD = "demo-password-1"


def new_agent(login: str) -> lpconfig.User:
    """A valid new agent in the Billing group."""
    return lpconfig.User.new(
        login,
        login.replace(".", " ").title(),
        login.split(".")[0].title(),
        f"{login}@example.com",
        profile_ids=[PROFILE_AGENT],
        password="Str0ng-Passw0rd-1",
        member_of=BILLING,
    )
