'use strict';
// `client.skills`, `client.profiles`, `client.lobs`: read access.

const { int, str, listOptions, call } = require('./args');

class Catalog {
  #native;

  /** @internal Use `client.skills`, `client.profiles` or `client.lobs`. */
  constructor(native) {
    this.#native = native;
  }

  async list(options) {
    return await call(this.#native.list(listOptions(options)));
  }

  async listIfModified(since, options) {
    return await call(this.#native.listIfModified(int('since', since), listOptions(options)));
  }

  async get(id) {
    return await call(this.#native.get(int('id', id)));
  }

  async findByName(name) {
    return await call(this.#native.findByName(str('name', name)));
  }
}

module.exports = { Catalog };
