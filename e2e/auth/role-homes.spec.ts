/** Each role lands on its own home after login, with its own navigation. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { login, openBrowser } from "../testing/browser";
import { createUser } from "../testing/users";
import { homeFor, navFor, roles } from "@/lib/auth/roles";

for (const role of roles.filter((r) => r !== "ADMIN")) {
  test(`a ${role.toLowerCase()} lands on ${homeFor[role]} with its navigation`, async () => {
    const password = "role-home-password";
    const email = await createUser(role, password);
    const s = await openBrowser();
    try {
      await login(s.page, email, password);
      await s.page.waitForURL((url) => url.pathname === homeFor[role]);
      const nav = s.page.getByRole("navigation", { name: "Main" });
      // The role's own links, then every role's link to its notifications (with no unread count yet).
      const links = await nav.getByRole("link").allInnerTexts();
      assert.deepEqual(links, [...navFor[role].map((n) => n.label), "Notifications"]);
      const session = await (await s.page.request.get("/api/auth/session")).json();
      assert.equal(session.user.role, role);
      await s.shot(`auth-home-${role.toLowerCase()}`);
      // Another role's page is not there for this user.
      const admin = await s.page.goto("/admin");
      assert.equal(admin?.status(), 404);
    } finally {
      await s.close();
    }
  });
}
