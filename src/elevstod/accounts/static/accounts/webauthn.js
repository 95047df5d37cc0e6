/* Security keys and passkeys (WebAuthn): the browser's half of the two ceremonies.
 *
 * A form marked data-webauthn="register" or "verify" runs the ceremony when submitted:
 * it asks the server for options, lets the browser talk to the key, sends the answer back and
 * follows the server's redirect. All texts come from the page (data-msg-* attributes,
 * translated on the server); the server's refusals carry their own translated "message".
 * Without WebAuthn the form stays hidden and the page's explanation, marked
 * data-webauthn-unsupported, is shown; without JavaScript the page's <noscript> says so.
 */
(function () {
  "use strict";

  function toBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    var padded = base64 + "===".slice((base64.length + 3) % 4);
    var binary = atob(padded);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes.buffer;
  }

  function toBase64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      return { type: item.type, id: toBytes(item.id), transports: item.transports };
    });
  }

  function creationOptions(options) {
    options.challenge = toBytes(options.challenge);
    options.user.id = toBytes(options.user.id);
    options.excludeCredentials = descriptors(options.excludeCredentials);
    return options;
  }

  function requestOptions(options) {
    options.challenge = toBytes(options.challenge);
    options.allowCredentials = descriptors(options.allowCredentials);
    return options;
  }

  function credentialJSON(credential) {
    var response = credential.response;
    var json = {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || null,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: { clientDataJSON: toBase64url(response.clientDataJSON) },
    };
    if (response.attestationObject) {
      json.response.attestationObject = toBase64url(response.attestationObject);
      json.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      json.response.authenticatorData = toBase64url(response.authenticatorData);
      json.response.signature = toBase64url(response.signature);
      if (response.userHandle) json.response.userHandle = toBase64url(response.userHandle);
    }
    return json;
  }

  function withNext(url, next) {
    return next ? url + "?next=" + encodeURIComponent(next) : url;
  }

  function post(form, url, body) {
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    return fetch(withNext(url, form.dataset.next), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body || {}),
    }).then(function (response) {
      return response.json().then(
        function (data) { return { ok: response.ok, data: data }; },
        function () { return { ok: false, data: {} }; }
      );
    });
  }

  function Refusal(message) {
    this.message = message;
  }

  function answered(form, result) {
    if (!result.ok) throw new Refusal(result.data.message || form.dataset.msgFailed);
    return result.data;
  }

  function browserMessage(form, error) {
    if (error instanceof Refusal) return error.message;
    if (error && error.name === "NotAllowedError") return form.dataset.msgCancelled;
    if (error && error.name === "InvalidStateError") return form.dataset.msgDuplicate;
    return form.dataset.msgFailed;
  }

  function ceremony(form) {
    var register = form.dataset.webauthn === "register";
    var begin = register ? form.dataset.registerBegin : form.dataset.verifyBegin;
    var complete = register ? form.dataset.registerComplete : form.dataset.verifyComplete;
    return post(form, begin).then(function (result) {
      var options = answered(form, result);
      if (register) {
        return navigator.credentials.create({ publicKey: creationOptions(options) });
      }
      return navigator.credentials.get({ publicKey: requestOptions(options) });
    }).then(function (credential) {
      var body = credentialJSON(credential);
      if (register) {
        var name = form.querySelector("input[name=name]");
        body = { name: name ? name.value : "", credential: body };
      }
      return post(form, complete, body);
    }).then(function (result) {
      window.location.assign(answered(form, result).redirect_url);
    });
  }

  function setUp(form) {
    var status = form.querySelector("[data-webauthn-status]");
    var button = form.querySelector("button[type=submit]");
    if (!window.PublicKeyCredential || !navigator.credentials || !window.fetch) {
      var unsupported = document.querySelector("[data-webauthn-unsupported]");
      if (unsupported) unsupported.hidden = false;
      return;
    }
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      // Busy, not disabled: a disabled button would lose the keyboard focus.
      if (button.getAttribute("aria-disabled") === "true") return;
      button.setAttribute("aria-disabled", "true");
      button.setAttribute("aria-busy", "true");
      status.classList.remove("notice-error");
      status.textContent = form.dataset.msgWorking;
      ceremony(form).catch(function (error) {
        status.classList.add("notice", "notice-error");
        status.textContent = browserMessage(form, error);
        button.removeAttribute("aria-disabled");
        button.removeAttribute("aria-busy");
      });
    });
  }

  document.querySelectorAll("form[data-webauthn]").forEach(setUp);
})();
