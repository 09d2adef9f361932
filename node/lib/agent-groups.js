'use strict';
// `client.agentGroups`: the core's Agent Groups API and hierarchy helpers.

const { int, ints, json, listOptions, ifMatch, call } = require('./args');

class AgentGroups {
  #native;

  /** @internal Use `client.agentGroups`. */
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

  async getIfModified(id, since) {
    return await call(this.#native.getIfModified(int('id', id), int('since', since)));
  }

  async create(group) {
    return await call(this.#native.create(json('group', group)));
  }

  async createMany(groups) {
    return await call(this.#native.createMany(json('groups', groups, true)));
  }

  async update(group, guard) {
    return await call(this.#native.update(json('group', group), ifMatch(guard)));
  }

  async updateMany(groups, guard) {
    return await call(this.#native.updateMany(json('groups', groups, true), ifMatch(guard)));
  }

  async delete(id, guard) {
    return await call(this.#native.delete(int('id', id), ifMatch(guard)));
  }

  async deleteMany(ids, guard) {
    return await call(this.#native.deleteMany(ints('ids', ids), ifMatch(guard)));
  }

  async tree() {
    return await call(this.#native.tree());
  }

  async children(id) {
    return await call(this.#native.children(int('id', id)));
  }

  async members(id) {
    return await call(this.#native.members(int('id', id)));
  }

  async managers(id) {
    return await call(this.#native.managers(int('id', id)));
  }
}

module.exports = { AgentGroups };
