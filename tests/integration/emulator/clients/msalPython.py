"""MSAL Python (Debian's python3-msal) signing in to the emulator as its docs say: the printed
authority, verify=<CA file>, instance discovery off. Then the package API over https with
requests. Run by conformance.test.ts; prints one JSON line of results.

Not here: the password grant. MSAL Python 1.21 first asks <host>/common/userrealm/<user> and
builds that URL without the authority's port (msal/authority.py user_realm_discovery), so it
reaches port 443, not the emulator; the grant itself is tested with MSAL Node and raw requests."""
import json
import os
import re

import msal
import requests

e = json.loads(os.environ["EMULATOR_JSON"])
scope = [e["httpsUrl"] + "/.default"]
ca = e["caFile"]


def package_api(token):
    res = requests.post(
        e["httpsUrl"] + "/data/DataManagementDefinitionGroups/Microsoft.Dynamics.DataEntities.GetAzureWriteUrl",
        json={"uniqueFileName": "conformance.zip"},
        headers={"Authorization": "Bearer " + token},
        verify=ca,
        timeout=30,
    )
    return res.status_code


def attempt(name, get):
    try:
        result = get()
        if "access_token" not in result:
            return name, {"ok": False, "error": result.get("error_description", str(result))[:500]}
        return name, {"ok": True, "status": package_api(result["access_token"])}
    except Exception as error:  # noqa: BLE001 -- reported to the test
        return name, {"ok": False, "error": str(error)[:500]}


def confidential(credential, authority):
    app = msal.ConfidentialClientApplication(
        e["clientId"], client_credential=credential, authority=authority, verify=ca, instance_discovery=False
    )
    return app.acquire_token_for_client(scopes=scope)


with open(e["clientCertificateFile"], encoding="ascii") as f:
    private_key = re.search(r"-----BEGIN PRIVATE KEY-----.+?-----END PRIVATE KEY-----", f.read(), re.S).group(0)

results = dict(
    [
        attempt("secret", lambda: confidential(e["clientSecret"], e["authority"])),
        attempt("secret.noSlash", lambda: confidential(e["clientSecret"], e["authority"].rstrip("/"))),
        attempt(
            "certificate",
            lambda: confidential({"private_key": private_key, "thumbprint": e["clientCertificateThumbprint"]}, e["authority"]),
        ),
        attempt("wrongSecret", lambda: confidential("wrong", e["authority"])),
    ]
)
print(json.dumps(results))
