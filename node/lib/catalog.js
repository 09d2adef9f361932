'use strict';
// `client.skills`, `client.profiles`, `client.lobs`: read and write.

const { int, ints, str, json, ifMatch, listOptions, call } = require('./args');

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

  async create(entry) {
    return await call(this.#native.create(json('entry', entry)));
  }

  async createMany(entries) {
    return await call(this.#native.createMany(json('entries', entries, true)));
  }

  async update(entry, guard) {
    return await call(this.#native.update(json('entry', entry), ifMatch(guard)));
  }

  async updateMany(entries, guard) {
    return await call(this.#native.updateMany(json('entries', entries, true), ifMatch(guard)));
  }

  async delete(id, guard) {
    return await call(this.#native.delete(int('id', id), ifMatch(guard)));
  }

  async deleteMany(ids, guard) {
    return await call(this.#native.deleteMany(ints('ids', ids), ifMatch(guard)));
  }
}

module.exports = { Catalog };
