'use strict';
// `client.skills`, `client.profiles`, `client.lobs`: read access.

const { int, str, listOptions, call } = require('./args');

class Catalog {
  #native;

  /** @internal Use `client.skills`, `client.profiles` or `client.lobs`. */
  constructor(native) {
    this.#native = native;
  }

  list(options) {
    return call(this.#native.list(listOptions(options)));
  }

  listIfModified(since, options) {
    return call(this.#native.listIfModified(int('since', since), listOptions(options)));
  }

  get(id) {
    return call(this.#native.get(int('id', id)));
  }

  findByName(name) {
    return call(this.#native.findByName(str('name', name)));
  }
}

module.exports = { Catalog };
