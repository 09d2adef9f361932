'use strict';
// `client.users`: the core's Users API and its helpers, camelCase, Promise-based.

const { int, ints, str, json, listOptions, ifMatch, call, submit, sync } = require('./args');
const { configError, fromNative } = require('./errors');

class Users {
  #native;

  /** @internal Use `client.users`. */
  constructor(native) {
    this.#native = native;
  }

  /** A view whose read-modify-write helpers may send back a masked (empty) `fullName`. */
  allowMaskedBlank(yes = true) {
    return new Users(sync(() => this.#native.allowMaskedBlank(Boolean(yes))));
  }

  async list(options) {
    return await call(this.#native.list(listOptions(options)));
  }

  async listIfModified(since, options) {
    return await call(this.#native.listIfModified(int('since', since), listOptions(options)));
  }

  async get(id) {
    const n = int('id', id);
    try {
      return await submit((done, token) => this.#native.getInto(done, token, n));
    } catch (e) {
      throw fromNative(e);
    }
  }

  async getIfModified(id, since) {
    return await call(this.#native.getIfModified(int('id', id), int('since', since)));
  }

  async create(user) {
    return await call(this.#native.create(json('user', user)));
  }

  async createMany(users) {
    return await call(this.#native.createMany(json('users', users, true)));
  }

  async update(user, guard) {
    return await call(this.#native.update(json('user', user), ifMatch(guard)));
  }

  async updateMany(users, guard) {
    return await call(this.#native.updateMany(json('users', users, true), ifMatch(guard)));
  }

  async delete(id, guard) {
    return await call(this.#native.delete(int('id', id), ifMatch(guard)));
  }

  async deleteMany(ids, guard) {
    return await call(this.#native.deleteMany(ints('ids', ids), ifMatch(guard)));
  }

  async resetPassword(id, newPassword) {
    return await call(this.#native.resetPassword(int('id', id), str('newPassword', newPassword)));
  }

  async changePassword(id, oldPassword, newPassword) {
    return await call(
      this.#native.changePassword(int('id', id), str('oldPassword', oldPassword), str('newPassword', newPassword)),
    );
  }

  async findByLoginName(loginName) {
    return await call(this.#native.findByLoginName(str('loginName', loginName)));
  }

  async inGroup(agentGroupId) {
    return await call(this.#native.inGroup(int('agentGroupId', agentGroupId)));
  }

  async managing(agentGroupId) {
    return await call(this.#native.managing(int('agentGroupId', agentGroupId)));
  }

  async withSkill(skillId) {
    return await call(this.#native.withSkill(int('skillId', skillId)));
  }

  async addSkills(userIds, skillIds) {
    return await call(this.#native.addSkills(ints('userIds', userIds), ints('skillIds', skillIds)));
  }

  async removeSkills(userIds, skillIds) {
    return await call(this.#native.removeSkills(ints('userIds', userIds), ints('skillIds', skillIds)));
  }

  async moveToGroup(userIds, agentGroupId) {
    return await call(this.#native.moveToGroup(ints('userIds', userIds), int('agentGroupId', agentGroupId)));
  }

  /** `maxAsyncChats`: leave it out to keep it, `null` to inherit the account default. */
  async setConcurrency(userIds, maxChats, maxAsyncChats) {
    const given = maxAsyncChats !== undefined;
    const value = maxAsyncChats === null || !given ? null : int('maxAsyncChats', maxAsyncChats);
    return await call(this.#native.setConcurrency(ints('userIds', userIds), int('maxChats', maxChats), given, value));
  }

  /**
   * Read-modify-write through the core: reads the users, calls `change(user)`
   * on each (edit it in place or return a replacement; an object instead of a
   * function is laid over each user as a patch), writes them back in one
   * guarded batch, and on a conflict re-reads and retries. If `change` throws,
   * nothing is written and its exception rejects the Promise. `change` must be
   * synchronous.
   */
  async modify(userIds, change) {
    const ids = ints('userIds', userIds);
    let fn = change;
    if (change !== null && typeof change === 'object' && !Array.isArray(change)) {
      const patch = { ...change };
      fn = (user) => Object.assign(user, patch);
    } else if (typeof change !== 'function') {
      throw configError('change', 'must be a function (user) => user, or an object of fields to set');
    }
    let thrown;
    const onWire = (text) => {
      if (thrown !== undefined) return null;
      try {
        const user = JSON.parse(text);
        const replaced = fn(user);
        if (replaced !== undefined && replaced !== null && typeof replaced.then === 'function') {
          throw configError('change', 'must return synchronously (not a Promise)');
        }
        return JSON.stringify(replaced === undefined || replaced === null ? user : replaced);
      } catch (e) {
        thrown = { e };
        return null;
      }
    };
    try {
      return await call(this.#native.modify(ids, onWire));
    } catch (e) {
      if (thrown !== undefined) throw thrown.e;
      throw e;
    }
  }
}

module.exports = { Users };
