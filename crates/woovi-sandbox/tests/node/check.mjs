// Woovi's official Node SDK against the sandbox: create, get and list a
// charge and a customer. Exits non-zero on any mismatch.
// Env: WOOVI_SANDBOX_URL (base URL), WOOVI_APP_ID.
import assert from "node:assert/strict";
import { createClient } from "@woovi/node-sdk";

const baseUrl = process.env.WOOVI_SANDBOX_URL;
const appId = process.env.WOOVI_APP_ID;
assert.ok(baseUrl && appId, "WOOVI_SANDBOX_URL and WOOVI_APP_ID are required");

// The SDK takes `baseUrl` next to `appId` (createClient → RestClient).
const woovi = createClient({ appId, baseUrl, retries: 0 });
const suffix = Date.now().toString(36);

const created = await woovi.charge.create({ correlationID: `node-charge-${suffix}`, value: 1234, comment: "node sdk" });
assert.equal(created.charge.value, 1234);
assert.equal(created.charge.status, "ACTIVE");
assert.ok(created.brCode.startsWith("000201010212"), created.brCode);

const fetched = await woovi.charge.get({ id: created.charge.correlationID });
assert.equal(fetched.charge.globalID, created.charge.globalID);

const charges = await woovi.charge.list();
assert.ok(charges.charges.some((c) => c.correlationID === created.charge.correlationID));
assert.equal(typeof charges.pageInfo.hasNextPage, "boolean");

const customer = await woovi.customer.create({
  name: "Dan",
  taxID: "31324227036",
  email: "dan@example.com",
  phone: "5511999999999",
  correlationID: `node-customer-${suffix}`,
});
assert.equal(customer.customer.taxID.taxID, "31324227036");

const got = await woovi.customer.get({ id: customer.customer.correlationID });
assert.equal(got.customer.name, "Dan");

const customers = await woovi.customer.list();
assert.ok(customers.customers.some((c) => c.correlationID === customer.customer.correlationID));

// A wrong AppID is refused with Woovi's error body.
const intruder = createClient({ appId: "wrong", baseUrl, retries: 0 });
await assert.rejects(intruder.charge.list(), (err) => typeof err.error === "string");

console.log(JSON.stringify({ ok: true, charge: created.charge.correlationID, customer: customer.customer.correlationID }));
