/** Every page of customers and resellers (and the signed-out ones) at 390 px and in dark mode: pages-fixture.ts. */
import { everyPageTests, signedOutPagesTest, registerPagesFixture } from "./pages-fixture";

registerPagesFixture();
everyPageTests(["customer", "reseller"]);
signedOutPagesTest();
