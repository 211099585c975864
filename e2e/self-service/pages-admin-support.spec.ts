/** Every page of the admin and of support staff at 390 px and in dark mode: pages-fixture.ts. */
import { everyPageTests, registerPagesFixture } from "./pages-fixture";

registerPagesFixture();
everyPageTests(["admin", "support"]);
