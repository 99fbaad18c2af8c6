export { SlackChannel, SLACK_INTERACTION_PATH, type SlackChannelOptions } from './slack-channel.js'
export { signSlackRequest } from './slack-signature.js'
