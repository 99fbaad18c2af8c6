export { SlackChannel, SLACK_INTERACTION_PATH, type SlackChannelOptions } from './slack-channel.js'
