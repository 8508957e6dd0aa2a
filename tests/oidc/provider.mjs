// A certified OpenID provider (panva's oidc-provider) on loopback, standing in for the
// gemeente's broker: DigiD, eHerkenning and the staff sign-on, one client each.
//
//   node tests/oidc/provider.mjs --port 0 --rp http://127.0.0.1:8000
//
// Prints "READY <issuer>" once it listens (port 0: a free port). The test accounts
// below carry the claims a broker sends (bsn, kvk, vestiging, acr, amr, groups); the
// login page lets one pick an account, or cancel. Test BSNs pass the elfproef and
// belong to nobody (the 9999xxxxx range of the Logius test set), except the one of
// 'digid-ongeldig', which fails it on purpose.
import http from 'node:http';
import Provider, { interactionPolicy } from 'oidc-provider';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => {
    if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]]);
    return pairs;
  }, []),
);
const HOST = '127.0.0.1';
const rps = (args.rp || 'http://127.0.0.1:8000').split(',').map((u) => u.replace(/\/$/, ''));

const SAML = 'urn:oasis:names:tc:SAML:2.0:ac:classes:';
const LOA = 'urn:etoegang:core:assurance-class:';

export const ACCOUNTS = {
  'digid-midden': {
    label: 'DigiD Midden (app), BSN 999993653',
    acr: `${SAML}MobileTwoFactorContract`,
    claims: { bsn: '999993653' },
  },
  'digid-substantieel': {
    label: 'DigiD Substantieel, BSN 999991772',
    acr: `${SAML}Smartcard`,
    claims: { bsn: '999991772' },
  },
  'digid-basis': {
    label: 'DigiD Basis (alleen wachtwoord), BSN 999990019',
    acr: `${SAML}PasswordProtectedTransport`,
    claims: { bsn: '999990019' },
  },
  'digid-ongeldig': {
    label: 'DigiD Midden met een ongeldig BSN (faalt op de elfproef)',
    acr: `${SAML}MobileTwoFactorContract`,
    claims: { bsn: '123456789' },
  },
  'eherkenning-eh3': {
    label: 'eHerkenning EH3, Stichting Buurtkracht (KvK 69599084)',
    acr: `${LOA}loa3`,
    claims: { kvk: '69599084', vestiging: '000038509490' },
  },
  'eherkenning-eh3-collega': {
    label: 'eHerkenning EH3, een collega bij Stichting Buurtkracht (KvK 69599084)',
    acr: `${LOA}loa3`,
    claims: { kvk: '69599084', vestiging: '000038509490' },
  },
  'eherkenning-eh2': {
    label: 'eHerkenning EH2 (te laag), KvK 68750110',
    acr: `${LOA}loa2`,
    claims: { kvk: '68750110' },
  },
  'medewerker-mfa': {
    label: 'Medewerker Beoordelaar (met tweede factor)',
    acr: 'urn:gemeente-utrecht:mfa',
    amr: ['pwd', 'otp'],
    claims: {
      email: 'sso.beoordelaar@utrecht.example',
      given_name: 'Sanne',
      family_name: 'de Vries',
      groups: ['initiatiefloket-beoordelaar', 'intranet'],
    },
  },
  'medewerker-wachtwoord': {
    label: 'Medewerker Besluitvormer (alleen wachtwoord)',
    acr: 'urn:gemeente-utrecht:pwd',
    amr: ['pwd'],
    claims: {
      email: 'sso.besluitvormer@utrecht.example',
      given_name: 'Ahmed',
      family_name: 'Bakker',
      groups: ['initiatiefloket-besluitvormer'],
    },
  },
  'medewerker-zonder-rol': {
    label: 'Medewerker zonder rol in het Initiatiefloket',
    acr: 'urn:gemeente-utrecht:mfa',
    amr: ['pwd', 'otp'],
    claims: {
      email: 'sso.zonderrol@utrecht.example',
      given_name: 'Kim',
      family_name: 'Jansen',
      groups: ['intranet'],
    },
  },
};

function client(name) {
  return {
    client_id: `initiatiefloket-${name}`,
    client_secret: `test-secret-${name}`,
    redirect_uris: rps.map((rp) => `${rp}/inloggen/${name}/callback/`),
    post_logout_redirect_uris: rps.map((rp) => `${rp}/uitgelogd/`),
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  };
}

// One provider stands in for three: DigiD, eHerkenning and the gemeente's own sign-on
// are separate services with separate sessions. A session of one means therefore
// never logs in silently at another: its login page is shown again.
const policy = interactionPolicy.base();
policy.get('login').checks.add(
  new interactionPolicy.Check('other_means', 'the session is of another means', (ctx) => {
    const { oidc } = ctx;
    const means = oidc.client.clientId.replace('initiatiefloket-', '');
    const account = oidc.session.accountId;
    return account && !account.startsWith(means)
      ? interactionPolicy.Check.REQUEST_PROMPT
      : interactionPolicy.Check.NO_NEED_TO_PROMPT;
  }),
);

const configuration = {
  clients: ['digid', 'eherkenning', 'medewerker'].map(client),
  scopes: ['openid', 'bsn', 'kvk', 'email', 'profile', 'groups'],
  claims: {
    acr: null,
    amr: null,
    auth_time: null,
    openid: ['sub'],
    bsn: ['bsn'],
    kvk: ['kvk', 'vestiging'],
    email: ['email', 'email_verified'],
    profile: ['given_name', 'family_name', 'name'],
    groups: ['groups'],
  },
  acrValues: [...new Set(Object.values(ACCOUNTS).map((a) => a.acr))],
  async findAccount(ctx, id) {
    const account = ACCOUNTS[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        // The acting person's pseudonym for eHerkenning is the subject itself.
        return { sub: id, ...account.claims, ...(account.claims.email ? { email_verified: true } : {}) };
      },
    };
  },
  interactions: { policy, url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  features: {
    devInteractions: { enabled: false },
    // The portal asks for acr and amr in the ID token with the claims parameter.
    claimsParameter: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      // End the session at once (the portal asked for it with its client_id); the
      // form posts itself, with a button for a browser without scripts.
      async logoutSource(ctx, form) {
        ctx.body = `<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Uitloggen</title></head>
<body><h1>Uitloggen</h1>${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Uitloggen bij de testprovider</button>
<script>var f=document.getElementById('op.logoutForm');var i=document.createElement('input');i.type='hidden';i.name='logout';i.value='yes';f.appendChild(i);f.submit();</script>
</body></html>`;
      },
    },
  },
  pkce: { required: () => true },
  cookies: { keys: ['initiatiefloket-test-provider-cookie-key'] },
  ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = `<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Fout</title></head><body><h1>Fout bij de testprovider</h1><pre>${escape(JSON.stringify(out))}</pre></body></html>`;
  },
};

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString());
}

function loginPage(uid, client, prompt) {
  const options = Object.entries(ACCOUNTS)
    .filter(([id]) => id.startsWith(client.replace('initiatiefloket-', '')))
    .map(([id, a]) => `<option value="${id}">${escape(a.label)}</option>`)
    .join('');
  return `<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Inloggen bij de testprovider</title></head>
<body><main><h1>Inloggen bij de testprovider</h1>
<p>Dit is een test-inlogdienst op uw eigen computer. Kies een testaccount.</p>
<form method="post" action="/interaction/${uid}/login">
<label for="account">Testaccount</label>
<select id="account" name="account">${options}</select>
<button type="submit" name="action" value="login">Inloggen</button>
<button type="submit" name="action" value="cancel">Annuleren</button>
</form><p>Vraag: ${escape(prompt)}</p></main></body></html>`;
}

let provider;

async function interaction(req, res) {
  const url = new URL(req.url, 'http://local');
  const parts = url.pathname.split('/').filter(Boolean); // interaction, uid, [login]
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt, params, session } = details;
  if (req.method === 'GET' && parts.length === 2) {
    if (prompt.name === 'consent') {
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
      grant.addOIDCScope(String(params.scope));
      // Every claim: those of the scopes, and the standalone ones (acr, amr).
      grant.addOIDCClaims(
        Object.entries(configuration.claims).flatMap(([name, values]) => (values === null ? [name] : values)),
      );
      const grantId = await grant.save();
      return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    return res.end(loginPage(uid, params.client_id, prompt.name));
  }
  if (req.method === 'POST' && parts[2] === 'login') {
    const form = await readForm(req);
    if (form.get('action') === 'cancel') {
      return provider.interactionFinished(
        req, res,
        { error: 'access_denied', error_description: 'End-User aborted interaction' },
        { mergeWithLastSubmission: false },
      );
    }
    const id = form.get('account');
    const account = ACCOUNTS[id];
    if (!account) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      return res.end('unknown account');
    }
    return provider.interactionFinished(
      req, res,
      { login: { accountId: id, acr: account.acr, amr: account.amr } },
      { mergeWithLastSubmission: false },
    );
  }
  res.writeHead(404);
  return res.end();
}

const server = http.createServer(async (req, res) => {
  try {
    if (req.url.startsWith('/interaction/')) return await interaction(req, res);
    return provider.callback()(req, res);
  } catch (error) {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(String(error));
  }
});

server.listen(Number(args.port || 0), HOST, () => {
  const issuer = `http://${HOST}:${server.address().port}`;
  provider = new Provider(issuer, configuration);
  process.stdout.write(`READY ${issuer}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
