"""Microsoft's documented request sequences, replayed by a client the project did not write:
MSAL Python (Debian's python3-msal) signs in with the printed authority (verify=<CA file>,
instance discovery off) and requests calls the APIs over https as Learn and the
Dynamics-AX-Integration samples do:

- package API: GetAzureWriteUrl -> PUT the package to the blob -> ImportFromPackage ->
  GetExecutionSummaryStatus until final -> GetExecutionErrors;
- recurring integrations: enqueue a package to a package job and a CSV to a file job
  (?entity=), strip the quotes of the message id, poll jobstatus (and GetMessageStatus);
  dequeue -> download DownloadLocation with the token -> ack with the dequeue body unchanged ->
  dequeue again (204);
- OData: read the imported record back.

Run by conformance.test.ts; prints one JSON line: step name -> what the step saw."""
import json
import os
import time
import urllib.parse

import msal
import requests

e = json.loads(os.environ["EMULATOR_JSON"])
ca = e["caFile"]
base = e["httpsUrl"]
app = msal.ConfidentialClientApplication(
    e["clientId"], client_credential=e["clientSecret"], authority=e["authority"], verify=ca, instance_discovery=False
)
token = app.acquire_token_for_client(scopes=[base + "/.default"])["access_token"]
auth = {"Authorization": "Bearer " + token}
results = {}


def action(name, body):
    res = requests.post(
        base + "/data/DataManagementDefinitionGroups/Microsoft.Dynamics.DataEntities." + name,
        json=body,
        headers=auth,
        verify=ca,
        timeout=30,
    )
    res.raise_for_status()
    return res.json()["value"]


def until(get, done, seconds=60):
    deadline = time.monotonic() + seconds
    value = get()
    while not done(value) and time.monotonic() < deadline:
        time.sleep(0.2)
        value = get()
    return value


with open(os.environ["PACKAGE_FILE"], "rb") as f:
    package = f.read()

# Package API.
write = json.loads(action("GetAzureWriteUrl", {"uniqueFileName": "sequence-package.zip"}))
put = requests.put(write["BlobUrl"], data=package, headers={"x-ms-blob-type": "BlockBlob"}, verify=ca, timeout=30)
execution = action(
    "ImportFromPackage",
    {
        "packageUrl": write["BlobUrl"],
        "definitionGroupId": "Sequence package API",
        "executionId": "",
        "execute": True,
        "overwrite": True,
        "legalEntityId": "USMF",
    },
)
status = until(
    lambda: action("GetExecutionSummaryStatus", {"executionId": execution}), lambda s: s not in ("NotRun", "Executing")
)
results["packageApi"] = {
    "put": put.status_code,
    "status": status,
    "errors": action("GetExecutionErrors", {"executionId": execution}),
}


def enqueue(activity, body, query, content_type):
    res = requests.post(
        base + "/api/connector/enqueue/%7B" + activity.upper() + "%7D" + query,
        data=body,
        headers={**auth, "Content-Type": content_type, "x-ms-dyn-externalidentifier": "sequence"},
        verify=ca,
        timeout=30,
    )
    return res.json(), res.status_code


def follow(activity, message_id):
    def job_status():
        res = requests.get(
            base + "/api/connector/jobstatus/" + activity,
            params={"jobId": message_id},
            headers=auth,
            verify=ca,
            timeout=30,
        )
        return res.json()["DataJobStatus"]["DataJobState"]

    state = until(job_status, lambda s: s not in ("Enqueued", "InProcess"))
    return {"state": state, "messageStatus": action("GetMessageStatus", {"messageId": message_id})}


jobs = {(j["direction"], j["dataSource"]): j["activityId"] for j in e["recurringJobs"]}
raw, code = enqueue(jobs[("import", "package")], package, "?company=USMF", "application/zip")
results["enqueuePackage"] = {"status": code, "quoted": isinstance(raw, str), **follow(jobs[("import", "package")], raw)}
csv = "CUSTOMERGROUPID,DESCRIPTION\r\nPYF1,Sequence file\r\n".encode("utf-8")
query = "?entity=" + urllib.parse.quote("Customer groups") + "&company=USMF"
raw, code = enqueue(jobs[("import", "file")], csv, query, "application/octet-stream")
results["enqueueFile"] = {"status": code, **follow(jobs[("import", "file")], raw)}

# Export: the seeded export job runs on its recurrence (the emulator's admin API moves its clock).
requests.post(
    e["adminUrl"] + "/clock/advance",
    json={"minutes": 6},
    headers={"Authorization": "Bearer " + e["adminToken"]},
    timeout=30,
)
export_job = jobs[("export", "package")]
dequeue = lambda: requests.get(base + "/api/connector/dequeue/" + export_job, headers=auth, verify=ca, timeout=30)
first = until(dequeue, lambda r: r.status_code == 200)
body = first.json()
download = requests.get(body["DownloadLocation"], headers=auth, verify=ca, timeout=30)
ack = requests.post(
    base + "/api/connector/ack/" + export_job,
    data=first.content,
    headers={**auth, "Content-Type": "application/json"},
    verify=ca,
    timeout=30,
)
results["export"] = {
    "dequeue": first.status_code,
    "zip": download.content[:2] == b"PK",
    "ack": ack.status_code,
    "again": dequeue().status_code,
}

odata = requests.get(
    base + "/data/CustomerGroups",
    params={"$filter": "CustomerGroupId eq 'PYF1'", "$select": "CustomerGroupId,Description"},
    headers=auth,
    verify=ca,
    timeout=30,
)
results["odata"] = odata.json()["value"]
print(json.dumps(results))
