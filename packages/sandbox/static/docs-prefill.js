// Swagger UI at /docs: each answer's values are filled into the operations that need them next, so a
// reader does not copy a software id, a certificate header, a signed request, a client id or a token
// by hand. Every filled value stays editable. The targets (which operation takes which value) come
// from the OpenAPI document, in the `openDcrPrefill` config the sandbox serves.
;(() => {
  /** Operations (`[path, method]`) per value, from the served Swagger UI config. */
  const targets = () => window.ui.getConfigs().openDcrPrefill

  function setParameter(operations, name, where, value) {
    for (const [path, method] of operations) window.ui.specActions.changeParam([path, method], name, where, value)
  }

  /** Sets a request body (and its content type) where the operation accepts that content type. */
  function setBody(operations, contentType, value) {
    for (const [path, method, types] of operations) {
      if (!types.includes(contentType)) continue
      window.ui.oas3Actions.setRequestContentType({ value: contentType, pathMethod: [path, method] })
      window.ui.oas3Actions.setRequestBodyValue({ value, pathMethod: [path, method] })
    }
  }

  /** Form bodies are Immutable maps in Swagger UI's state: an empty one is made from the state's own class. */
  function setForm(operations, fields) {
    let form = window.ui.getState().clear()
    for (const [name, value] of Object.entries(fields)) form = form.set(name, value)
    for (const [path, method] of operations) {
      window.ui.oas3Actions.setRequestBodyValue({ value: form, pathMethod: [path, method] })
    }
  }

  function kitCreated(kit) {
    const to = targets()
    setParameter(to.softwareId, 'softwareId', 'path', kit.software_id)
    setParameter(to.certificate, 'X-Client-Certificate', 'header', kit.transport.cert_header)
  }

  function registrationPrepared(prepared) {
    const body = typeof prepared.body === 'string' ? prepared.body : JSON.stringify(prepared.body, null, 2)
    setBody(targets().registrationBody, prepared.content_type, body)
  }

  function clientAnswered(client) {
    const to = targets()
    if (typeof client.client_id === 'string') setParameter(to.clientId, 'clientId', 'path', client.client_id)
    if (typeof client.client_id === 'string' && typeof client.client_secret === 'string') {
      setForm(to.tokenForm, {
        grant_type: 'client_credentials',
        client_id: client.client_id,
        client_secret: client.client_secret,
      })
    }
    // RFC 7592 §3: each answer may carry a new registration access token; the newest is the one to use.
    if (typeof client.registration_access_token === 'string') {
      window.ui.preauthorizeApiKey('bearer', client.registration_access_token)
    }
  }

  function answered(response) {
    const body = response.body
    if (!response.ok || typeof body !== 'object' || body === null) return response
    const path = new URL(response.url).pathname
    if (/\/sandbox\/tpps$/.test(path) && body.transport) kitCreated(body)
    else if (/\/sandbox\/tpps\/[^/]+\/registration-request$/.test(path)) registrationPrepared(body)
    else if (/\/sandbox\/portal-apps$/.test(path))
      window.ui.preauthorizeBasic('basic', body.client_id, body.client_secret)
    else if (/\/token$/.test(path) && typeof body.access_token === 'string' && body.token_type === 'Bearer')
      window.ui.preauthorizeApiKey('bearer', body.access_token)
    else if (/\/register(\/[^/]+(\/client-secret)?)?$/.test(path)) clientAnswered(body)
    return response
  }

  window.openDcrDocs = {
    answered(response) {
      try {
        return answered(response)
      } catch (err) {
        console.warn('open-dcr docs: could not fill in values from this answer', err)
        return response
      }
    },
  }
})()
